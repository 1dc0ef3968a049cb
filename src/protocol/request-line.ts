import { SP, TOKEN } from './chars.js';
import { ProtocolError } from './errors.js';
import { latin1, reuseOrSlice } from './latin1.js';
import type { RequestHead } from './request-head.js';
import { scanTarget, splitTarget } from './request-target.js';

/**
 * Parses `method SP request-target SP HTTP-version` in [start, lineEnd) (RFC 9112 §3).
 * `previousTarget` is the last request's target, returned as is when the bytes are equal.
 */
export function parseRequestLine(buf: Buffer, start: number, lineEnd: number, previousTarget: string): RequestHead {
  let p = start;
  while (p < lineEnd && TOKEN[buf[p]!] === 1) p++;
  if (p === start || p >= lineEnd || buf[p] !== SP) throw new ProtocolError(400, 'Malformed request line');
  const method = methodName(buf, start, p);
  const targetStart = p + 1;
  const targetEnd = scanTarget(buf, targetStart, lineEnd);
  const target = reuseOrSlice(buf, targetStart, targetEnd, previousTarget);
  return splitTarget(method, target, parseVersion(buf, targetEnd + 1, lineEnd));
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

/** `HTTP/` DIGIT `.` DIGIT; returns the minor version, 0 or 1. */
function parseVersion(buf: Buffer, p: number, lineEnd: number): number {
  const wellFormed =
    lineEnd - p === 8 &&
    buf[p] === 0x48 &&
    buf[p + 1] === 0x54 &&
    buf[p + 2] === 0x54 &&
    buf[p + 3] === 0x50 &&
    buf[p + 4] === 0x2f &&
    isDigit(buf[p + 5]) &&
    buf[p + 6] === 0x2e &&
    isDigit(buf[p + 7]);
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
