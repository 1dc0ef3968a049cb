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

/** The latin-1 text of [start, end), returning `previous` when it holds exactly those bytes. */
export function reuseOrSlice(buf: Buffer, start: number, end: number, previous: string): string {
  const length = end - start;
  if (previous.length === length) {
    let i = 0;
    while (i < length && buf[start + i] === previous.charCodeAt(i)) i++;
    if (i === length) return previous;
  }
  return latin1(buf, start, end);
}
