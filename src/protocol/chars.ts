// Byte-class lookup tables (RFC 9110 §5.6.2, §5.5; RFC 3986 §2). One table read per byte
// keeps the parser's inner loops branch-light.

export const CR = 0x0d;
export const LF = 0x0a;
export const SP = 0x20;
export const HTAB = 0x09;

function table(accepts: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = accepts(b) ? 1 : 0;
  return t;
}

const isAlnum = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/** tchar: the characters of a token (method, header name, coding name). */
export const TOKEN = table((b) => isAlnum(b) || "!#$%&'*+-.^_`|~".includes(String.fromCharCode(b)));

/** field-vchar / SP / HTAB / obs-text: what a header value may hold. */
export const FIELD_VALUE = table((b) => b === HTAB || (b >= 0x20 && b !== 0x7f));

/**
 * Bytes allowed in a request-target: visible ASCII except '#' (fragments are never sent).
 * Controls, whitespace and non-ASCII must be percent-encoded.
 */
export const TARGET = table((b) => b > 0x20 && b < 0x7f && b !== 0x23);

/** reg-name characters of a host: unreserved / sub-delims / '%' (RFC 3986 §3.2.2). */
export const REG_NAME = table((b) => isAlnum(b) || "-._~!$&'()*+,;=%".includes(String.fromCharCode(b)));

/** Value of a hex digit, or 255 for anything else. */
export const HEX_VALUE = (() => {
  const t = new Uint8Array(256).fill(255);
  for (let d = 0; d < 10; d++) t[0x30 + d] = d;
  for (let d = 0; d < 6; d++) {
    t[0x41 + d] = 10 + d;
    t[0x61 + d] = 10 + d;
  }
  return t;
})();

const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FIELD_VALUE_RE = /^[\t\x20-\x7e\x80-\xff]*$/;

/** True when `name` is a valid header field name (a token). */
export function isToken(name: string): boolean {
  return TOKEN_RE.test(name);
}

/** True when `value` may be sent as a header value: no CR, LF, NUL or other controls, latin1 only. */
export function isFieldValue(value: string): boolean {
  return FIELD_VALUE_RE.test(value);
}
