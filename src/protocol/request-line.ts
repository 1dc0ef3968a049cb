import { CR, LF, SP, TOKEN } from './chars.js';
import { ProtocolError } from './errors.js';
import { latin1, spells } from './latin1.js';
import { RequestHead } from './request-head.js';
import { scanTarget, splitTarget } from './request-target.js';

/**
 * Parses `method SP request-target SP HTTP-version CRLF` starting at `start` (RFC 9112 §3).
 * A CRLF lies before `limit`: every scan stops at a CR, so the line's end need not be known
 * in advance (reads never pass `limit`). `previous` is the last request's head: its target
 * (and what was made of it) is reused when the bytes are equal.
 */
export function parseRequestLine(buf: Buffer, start: number, limit: number, previous: RequestHead | null): RequestHead {
  let p = start;
  while (p < limit && TOKEN[buf[p]!] === 1) p++;
  if (p === start || p >= limit || buf[p] !== SP) throw new ProtocolError(400, 'Malformed request line');
  const method = methodName(buf, start, p);
  const targetStart = p + 1;
  if (previous !== null) {
    const target = previous.target;
    const targetEnd = targetStart + target.length;
    // The previous request's target, which passed scanTarget and holds no SP: reusing it saves
    // a second walk over its bytes (with the same for header values, fields.ts: 9855 -> 9250
    // instructions per pipelined CLI request, bench/instructions.mjs), and with the same method,
    // splitting it again (8793 -> 8606 per pipelined CLI request, 7086 -> 6961 through one
    // library handler).
    if (spells(buf, targetStart, target) && buf[targetEnd] === SP) {
      const versionMinor = parseVersion(buf, targetEnd + 1);
      return method === previous.method
        ? new RequestHead(method, target, previous.form, previous.path, previous.query, versionMinor)
        : splitTarget(method, target, versionMinor);
    }
  }
  const targetEnd = scanTarget(buf, targetStart, limit);
  return splitTarget(method, latin1(buf, targetStart, targetEnd), parseVersion(buf, targetEnd + 1));
}

/** Where the field lines after a request line that `parseRequestLine` read as `head` start. */
export function fieldsStart(start: number, head: RequestHead): number {
  // method SP target SP "HTTP/x.y" CRLF: the method and target strings hold one char per byte.
  return start + head.method.length + head.target.length + 12;
}

/**
 * The error for a request line over `maxBytes`, judged from its first `maxBytes / 2 + 1` bytes
 * (always present when the overflow is found, so the verdict does not depend on how the bytes
 * were split). 414 says the target is too long, so it is only given when the method token ends
 * within the first half of the limit: the rest of the line, mostly target, is then the larger
 * part. A method token filling half the limit is the cause itself (400), as is a line that
 * does not even start with a token and SP.
 */
export function overlongRequestLine(buf: Buffer, start: number, maxBytes: number): ProtocolError {
  const methodLimit = start + (maxBytes >> 1);
  let p = start;
  while (p <= methodLimit && TOKEN[buf[p]!] === 1) p++;
  if (p > methodLimit) return new ProtocolError(400, 'Method too long');
  if (p === start || buf[p] !== SP) return new ProtocolError(400, 'Malformed request line');
  return new ProtocolError(414, 'Request line too long');
}

/**
 * `HTTP/` DIGIT `.` DIGIT CRLF; returns the minor version, 0 or 1. The bytes are compared in
 * order and the first mismatch stops: a CR before the line's CRLF is one, so no read passes it.
 */
function parseVersion(buf: Buffer, p: number): number {
  const wellFormed =
    buf[p] === 0x48 &&
    buf[p + 1] === 0x54 &&
    buf[p + 2] === 0x54 &&
    buf[p + 3] === 0x50 &&
    buf[p + 4] === 0x2f &&
    isDigit(buf[p + 5]) &&
    buf[p + 6] === 0x2e &&
    isDigit(buf[p + 7]) &&
    buf[p + 8] === CR &&
    buf[p + 9] === LF;
  if (!wellFormed) throw new ProtocolError(400, 'Malformed HTTP version');
  const major = buf[p + 5]! - 0x30;
  const minor = buf[p + 7]! - 0x30;
  if (major !== 1 || minor > 1) throw new ProtocolError(505, 'HTTP version not supported');
  return minor;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** Common methods come back as interned literals instead of fresh strings. */
function methodName(buf: Buffer, start: number, end: number): string {
  const len = end - start;
  const c = buf[start];
  if (len === 3 && c === 0x47 && buf[start + 1] === 0x45 && buf[start + 2] === 0x54) return 'GET';
  if (len === 4 && c === 0x50 && buf[start + 1] === 0x4f && buf[start + 2] === 0x53 && buf[start + 3] === 0x54) {
    return 'POST';
  }
  if (len === 4 && c === 0x48 && buf[start + 1] === 0x45 && buf[start + 2] === 0x41 && buf[start + 3] === 0x44) {
    return 'HEAD';
  }
  return latin1(buf, start, end);
}
