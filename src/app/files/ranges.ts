import { randomBytes } from 'node:crypto';

/** An inclusive byte range, as in Content-Range. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a Range header asks of a representation of `size` bytes (RFC 9110 §14.2):
 * null — no header, another unit or invalid syntax: send the whole representation (200);
 * [] — nothing satisfiable (416); otherwise the ranges to send (206).
 */
export function parseRange(header: string | undefined, size: number): ByteRange[] | null {
  if (header === undefined) return null;
  const match = /^\s*bytes\s*=(.*)$/i.exec(header);
  if (match === null) return null;
  const ranges: ByteRange[] = [];
  let specs = 0;
  for (const item of (match[1] ?? '').split(',')) {
    const spec = item.trim();
    if (spec === '') continue;
    if (++specs > MAX_RANGES) return null; // a flood of ranges is ignored, not served
    const parts = /^(\d*)-(\d*)$/.exec(spec);
    if (parts === null || (parts[1] === '' && parts[2] === '')) return null;
    if (parts[1] === '') {
      const suffix = Number(parts[2]);
      if (suffix > 0 && size > 0) ranges.push({ start: Math.max(0, size - suffix), end: size - 1 });
      continue;
    }
    const start = Number(parts[1]);
    const end = parts[2] === '' ? Infinity : Number(parts[2]);
    if (end < start) return null;
    if (start < size) ranges.push({ start, end: Math.min(end, size - 1) });
  }
  if (specs === 0) return null;
  return coalesce(ranges);
}

/** More range specs than this in one header are treated as no Range at all. */
const MAX_RANGES = 64;

/** Overlapping ranges are merged (RFC 9110 §14.2 allows it) so no byte is sent twice. */
function coalesce(ranges: ByteRange[]): ByteRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const overlap = sorted.some((range, i) => i > 0 && range.start <= (sorted[i - 1]?.end ?? -1));
  if (!overlap) return ranges;
  const merged: ByteRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

export function contentRange(range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end}/${size}`;
}

/** The framing of a multipart/byteranges body (RFC 9110 §14.6). */
export interface MultipartLayout {
  contentType: string;
  /** Each part's head (boundary line and part headers) with the range it carries. */
  parts: { head: string; range: ByteRange }[];
  /** The closing boundary. */
  tail: string;
  /** Total body length, for Content-Length. */
  length: number;
}

export function multipartLayout(ranges: readonly ByteRange[], size: number, partType: string): MultipartLayout {
  const boundary = randomBytes(12).toString('hex');
  const parts = ranges.map((range) => ({
    head: `\r\n--${boundary}\r\nContent-Type: ${partType}\r\nContent-Range: ${contentRange(range, size)}\r\n\r\n`,
    range,
  }));
  const tail = `\r\n--${boundary}--\r\n`;
  let length = tail.length;
  for (const part of parts) length += part.head.length + part.range.end - part.range.start + 1;
  return { contentType: `multipart/byteranges; boundary=${boundary}`, parts, tail, length };
}
