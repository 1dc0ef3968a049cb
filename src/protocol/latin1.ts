// Buffer#latin1Slice is the native method behind buf.toString('latin1', start, end); calling
// it directly skips argument normalisation on the parser's hottest path. It has been part
// of every Node.js release, but is not in the type definitions.
declare module 'node:buffer' {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
  }
}

/** The bytes [start, end) of `buf` as a latin-1 string. */
export function latin1(buf: Buffer, start: number, end: number): string {
  return buf.latin1Slice(start, end);
}

/**
 * True when the bytes from `start` spell `text`. The comparison stops at the first difference,
 * so it reads no further than the first byte that `text` cannot hold (a CR, for any text the
 * parser made from one line).
 */
export function spells(buf: Buffer, start: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf[start + i] !== text.charCodeAt(i)) return false;
  return true;
}
