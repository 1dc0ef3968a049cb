import { ProtocolError } from './errors.js';
import { isValidHostHeader } from './host.js';
import type { RequestHead } from './request-head.js';

/**
 * The framing rules: which fields decide where a request ends and where it goes, and when they
 * make the request unacceptable (RFC 9112 §6, §6.3 "Message Body Length"). Every refusal is
 * final: the server answers it and closes, since nothing after the head can be framed safely.
 *
 * Host (RFC 9112 §3.2, RFC 9110 §7.2)
 *   H1  An HTTP/1.1 request without Host, or any request with several → 400.
 *   H2  A value other than uri-host [ ":" port ] → 400.
 *   H3  An empty host (`Host:` or `Host: :80`) → 400: an "http" URI must not have an empty
 *       host, and a recipient must reject one (RFC 9110 §4.2.1).
 * Content-Length (RFC 9110 §8.6)
 *   L1  Several fields, even with equal values → 400 (§6.3 rule 5 lets us reject; choosing
 *       one is what CL.CL smuggling exploits).
 *   L2  A value other than 1*DIGIT, or with a leading zero (`005`, `00`) → 400: parsers
 *       disagree on such values (octal, or rejected), so a proxy may frame them otherwise.
 *   L3  A value beyond 2^53−1 → 400: it cannot be represented exactly, so no length is known.
 *   L4  A valid length above the body limit → 413.
 * Transfer-Encoding (RFC 9112 §6.1)
 *   T1  In an HTTP/1.0 request → 400 (§6.1: the framing is faulty, as 1.0 has no chunked).
 *   T2  Together with Content-Length → 400 (§6.3 rule 3: the CL.TE / TE.CL smuggling pair).
 *   T3  A final coding other than chunked → 400 (§6.3 rule 4: the length cannot be known).
 *   T4  chunked more than once → 400 (§7: a sender must not apply it twice).
 *   T5  Another valid coding before chunked → 501 (not implemented); an invalid one → 400.
 * Body length (§6.3): chunked under T; else Content-Length; else none. A request body never
 *   runs to the close of the connection (§6.3 rule 6).
 * Fields that would be misread downstream
 *   S1  Several Content-Type fields → 400: a singleton (RFC 9110 §8.3) with no safe choice.
 *   S2  A name that becomes Content-Length, Transfer-Encoding or Content-Type when `_` is read
 *       as `-` (`Content_Length`, `Transfer_Encoding`) → 400: CGI-style gateways map both
 *       spellings to HTTP_CONTENT_LENGTH, so a look-alike could reframe the body behind us.
 * Persistence (RFC 9112 §9.3): `Connection: close` ends the connection after the response;
 *   HTTP/1.0 keeps it only with `Connection: keep-alive`.
 * Expect (RFC 9110 §10.1.1): 100-continue is noted; any other expectation is kept for a 417.
 *
 * `knownHost` is a Host value that already passed H2 and H3 (a connection's requests nearly
 * always repeat it), or null.
 */
export function applyFraming(head: RequestHead, maxBodyBytes: number, knownHost: string | null): void {
  const fields = head.fields;
  let hosts = 0;
  let contentLengths = 0;
  let contentTypes = 0;
  let transferCodings: string[] | null = null;
  let close = false;
  let keepAlive = false;
  let upgradeOption = false;
  let upgradeField = false;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i]!;
    const value = fields[i + 1]!;
    switch (name) {
      case 'host':
        if (++hosts > 1) throw new ProtocolError(400, 'Multiple Host headers'); // H1
        if (value !== knownHost) {
          if (!isValidHostHeader(value)) throw new ProtocolError(400, 'Invalid Host header'); // H2
          if (value === '' || value.charCodeAt(0) === 0x3a) throw new ProtocolError(400, 'Empty Host header'); // H3
        }
        head.host = value;
        break;
      case 'content-length': {
        if (++contentLengths > 1) throw new ProtocolError(400, 'Multiple Content-Length headers'); // L1
        const length = parseLength(value); // L2, L3
        if (length > maxBodyBytes) throw new ProtocolError(413, 'Request body too large'); // L4
        head.contentLength = length;
        break;
      }
      case 'transfer-encoding':
        transferCodings ??= [];
        for (const item of value.split(',')) {
          const coding = item.trim().toLowerCase();
          if (coding === '') throw new ProtocolError(400, 'Invalid Transfer-Encoding');
          transferCodings.push(coding);
        }
        break;
      case 'content-type':
        if (++contentTypes > 1) throw new ProtocolError(400, 'Multiple Content-Type headers'); // S1
        break;
      case 'connection':
        for (const item of value.split(',')) {
          const option = item.trim().toLowerCase();
          if (option === 'close') close = true;
          else if (option === 'keep-alive') keepAlive = true;
          else if (option === 'upgrade') upgradeOption = true;
        }
        break;
      case 'upgrade':
        upgradeField = true;
        break;
      case 'expect':
        if (value.toLowerCase() === '100-continue') head.expectContinue = true;
        else head.unsupportedExpectation = value;
        break;
      default:
        // Testing the length first keeps this off the path of nearly every other field.
        if (isLookAlikeLength(name.length) && name.includes('_') && LOOK_ALIKES.has(name.replaceAll('_', '-'))) {
          throw new ProtocolError(400, 'Header name imitates a framing header'); // S2
        }
    }
  }
  if (head.versionMinor === 1 && hosts === 0) throw new ProtocolError(400, 'Missing Host header'); // H1
  if (transferCodings !== null) {
    if (head.versionMinor === 0) throw new ProtocolError(400, 'Transfer-Encoding in an HTTP/1.0 request'); // T1
    if (contentLengths > 0) throw new ProtocolError(400, 'Both Transfer-Encoding and Content-Length'); // T2
    const last = transferCodings.length - 1;
    if (transferCodings[last] !== 'chunked') throw new ProtocolError(400, 'Transfer-Encoding must end in chunked'); // T3
    for (let i = 0; i < last; i++) {
      const coding = transferCodings[i]!;
      if (coding === 'chunked') throw new ProtocolError(400, 'chunked applied twice'); // T4
      if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(coding)) throw new ProtocolError(400, 'Invalid Transfer-Encoding'); // T5
      throw new ProtocolError(501, `Transfer coding not implemented: ${coding}`); // T5
    }
    head.chunked = true;
    head.contentLength = -1;
  }
  head.keepAlive = !close && (head.versionMinor === 1 || keepAlive);
  head.upgrade = upgradeOption && upgradeField && head.versionMinor === 1;
}

/**
 * Gives `head` the framing of `previous`, a head that passed the rules above with the same
 * fields and version: the rules read nothing else (the body limit is the parser's own).
 */
export function repeatFraming(head: RequestHead, previous: RequestHead): void {
  head.host = previous.host;
  head.contentLength = previous.contentLength;
  head.chunked = previous.chunked;
  head.expectContinue = previous.expectContinue;
  head.unsupportedExpectation = previous.unsupportedExpectation;
  head.keepAlive = previous.keepAlive;
  head.upgrade = previous.upgrade;
}

/** The fields S2 protects, as a `_`-to-`-` mapping of a look-alike name would spell them. */
const LOOK_ALIKES = new Set(['content-length', 'transfer-encoding', 'content-type']);
const isLookAlikeLength = (length: number): boolean => length === 12 || length === 14 || length === 17;

/** Content-Length = 1*DIGIT, with no leading zero and at most 2^53−1 (L2, L3). */
function parseLength(value: string): number {
  const n = value.length;
  if (n === 0 || (n > 1 && value.charCodeAt(0) === 0x30)) throw new ProtocolError(400, 'Invalid Content-Length');
  let result = 0;
  for (let i = 0; i < n; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) throw new ProtocolError(400, 'Invalid Content-Length');
    result = result * 10 + d;
  }
  // Sixteen or more digits may have rounded on the way; beyond 2^53−1 no length is exact.
  if (result > Number.MAX_SAFE_INTEGER) throw new ProtocolError(400, 'Content-Length too large to represent');
  return result;
}
