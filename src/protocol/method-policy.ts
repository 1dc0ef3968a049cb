import { ProtocolError } from './errors.js';
import type { RequestHead } from './request-head.js';

/** Methods this server knows (RFC 9110 §9, PATCH, and WebDAV's, RFC 4918 §9); any other token gets 501. */
const KNOWN_METHODS = new Set([
  'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT',
  'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK',
]);

/**
 * The refusal a server owes a well-formed request before any handler sees it, or null:
 * 501 for a method it does not implement (RFC 9110 §15.6.2) or a CONNECT to it as a proxy,
 * 417 for an expectation other than 100-continue (RFC 9110 §10.1.1).
 */
export function methodRefusal(head: RequestHead): ProtocolError | null {
  const method = head.method;
  // The parser hands out GET, HEAD and POST as shared literals: skip the set lookup for them.
  if (method !== 'GET' && method !== 'HEAD' && method !== 'POST' && !KNOWN_METHODS.has(method)) {
    return new ProtocolError(501, `Method not implemented: ${method}`);
  }
  if (head.form === 'authority') return new ProtocolError(501, 'This server is not a proxy');
  if (head.unsupportedExpectation !== null) return new ProtocolError(417, 'Unsupported expectation');
  return null;
}
