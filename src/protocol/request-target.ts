import { HEX_VALUE, SP, TARGET } from './chars.js';
import { ProtocolError } from './errors.js';
import { isValidHostHeader } from './host.js';
import { RequestHead, type TargetForm } from './request-head.js';

/**
 * Bytes of a target before its query that need a closer look than TARGET gives: '?' ends the
 * path, '%' starts an escape to check, '\' is refused. Everything else matches TARGET, so the
 * scan below costs one table read per byte, as before these checks existed.
 */
const PLAIN_PATH = (() => {
  const t = Uint8Array.from(TARGET);
  t[0x3f /* ? */] = 0;
  t[0x25 /* % */] = 0;
  t[0x5c /* \ */] = 0;
  return t;
})();

/**
 * Scans the request-target starting at `start` up to the SP that ends it and returns that SP's
 * offset. Throws when a byte may not appear in a target (RFC 9112 §3.2, RFC 3986 §2), and when
 * the part before the query holds:
 * - `\`, which RFC 3986 never allows and which WHATWG URL parsers, Windows and some proxies
 *   read as `/` (the `/..\..\` path traversal and routing-bypass family);
 * - `%00`, `%0d` or `%0a` in any case: a decoded NUL truncates paths in C-based file APIs, and
 *   a decoded CR or LF splits lines in logs and in anything that re-emits the path (response
 *   splitting through redirects).
 * The query may legitimately carry such escapes (form data), so it is left alone.
 */
export function scanTarget(buf: Buffer, start: number, limit: number): number {
  let p = start;
  for (;;) {
    while (p < limit && PLAIN_PATH[buf[p]!] === 1) p++;
    const c = buf[p];
    if (c === 0x25 /* % */) {
      const h1 = buf[p + 1];
      const h2 = buf[p + 2];
      if (h1 === 0x30 /* 0 */ && h2 !== undefined && (h2 === 0x30 || HEX_VALUE[h2] === 10 || HEX_VALUE[h2] === 13)) {
        throw new ProtocolError(400, 'Encoded NUL, CR or LF in request path');
      }
      p++;
    } else if (c === 0x5c /* \ */) {
      throw new ProtocolError(400, 'Backslash in request path');
    } else {
      break;
    }
  }
  if (buf[p] === 0x3f /* ? */) while (p < limit && TARGET[buf[p]!] === 1) p++;
  if (p === start || p >= limit || buf[p] !== SP) {
    throw new ProtocolError(400, buf[p] === 0x23 /* # */ ? 'Fragment in request target' : 'Malformed request target');
  }
  return p;
}

/** Splits a scanned target into its form, path and query (RFC 9112 §3.2.1–§3.2.4). */
export function splitTarget(method: string, target: string, versionMinor: number): RequestHead {
  let form: TargetForm;
  let path: string;
  if (method === 'CONNECT') {
    // authority-form: host ":" port, nothing else.
    if (!/:[0-9]{1,5}$/.test(target) || !isValidHostHeader(target) || target.includes('/')) {
      throw new ProtocolError(400, 'CONNECT needs an authority-form target');
    }
    return new RequestHead(method, target, 'authority', target, '', versionMinor);
  }
  if (target.charCodeAt(0) === 0x2f /* / */) {
    form = 'origin';
    path = target;
  } else if (target === '*') {
    if (method !== 'OPTIONS') throw new ProtocolError(400, 'Asterisk target is only for OPTIONS');
    return new RequestHead(method, target, 'asterisk', '*', '', versionMinor);
  } else {
    const scheme = /^https?:\/\//i.exec(target);
    if (scheme === null) throw new ProtocolError(400, 'Malformed request target');
    const rest = target.slice(scheme[0].length);
    let authorityEnd = rest.search(/[/?]/);
    if (authorityEnd < 0) authorityEnd = rest.length;
    const authority = rest.slice(0, authorityEnd);
    if (authority === '' || authority.charCodeAt(0) === 0x3a || !isValidHostHeader(authority)) {
      throw new ProtocolError(400, 'Invalid authority in request target');
    }
    form = 'absolute';
    path = rest.slice(authorityEnd);
    if (path === '' || path.charCodeAt(0) === 0x3f) path = `/${path}`;
  }
  let query = '';
  const q = path.indexOf('?');
  if (q >= 0) {
    query = path.slice(q + 1);
    path = path.slice(0, q);
  }
  return new RequestHead(method, target, form, path, query, versionMinor);
}
