import { CR, FIELD_VALUE, HTAB, LF, SP, TOKEN } from './chars.js';
import { ProtocolError } from './errors.js';
import { latin1, spells } from './latin1.js';

/**
 * Reads field lines `name ":" OWS value OWS CRLF` (RFC 9112 §5) as name, value, name, value…,
 * names lower-cased. One reader serves one kind of section (a parser's heads, or its
 * trailers) and remembers the fields it read last: a connection's requests mostly repeat their
 * header lines, so an equal value is reused instead of allocated, and when every line repeats,
 * so is the whole array. (Nothing changes a fields array once read, so it can be shared.)
 */
export class FieldReader {
  /** Offset just past the empty line of the section read last. */
  end = 0;
  private last: string[] = [];
  /** Where lines are gathered before they are copied into an array of their exact size. */
  private readonly scratch: string[] = [];

  /**
   * `maxFields` bounds the lines read (a head read in one pass is not scanned first), and so
   * what `scratch` keeps; past it, the section scan gives its verdict (`tooMany`).
   */
  constructor(
    private readonly maxFields: number,
    private readonly tooMany: string,
  ) {}

  /**
   * Reads the lines from `start` up to the empty line that ends the section. The caller knows
   * the section is complete (a CRLF CRLF follows `start` in the fed bytes): every scan below
   * stops at a CR, so none needs a bound.
   */
  read(buf: Buffer, start: number): readonly string[] {
    const last = this.last;
    const out = this.scratch;
    let n = 0;
    let repeats = true;
    let p = start;
    for (;;) {
      const c = buf[p];
      if (c === CR && buf[p + 1] === LF) break;
      if (c === SP || c === HTAB) throw new ProtocolError(400, 'Obsolete line folding');
      if (n >> 1 === this.maxFields) throw new ProtocolError(431, this.tooMany);
      const nameStart = p;
      while (TOKEN[buf[p]!] === 1) p++;
      if (p === nameStart) throw new ProtocolError(400, 'Invalid header name');
      if (buf[p] !== 0x3a /* : */) {
        const ws = buf[p] === SP || buf[p] === HTAB;
        throw new ProtocolError(400, ws ? 'Whitespace before colon' : 'Invalid header name');
      }
      const nameEnd = p++;
      while (buf[p] === SP || buf[p] === HTAB) p++;
      const valueStart = p;
      const previous = n + 1 < last.length ? last[n + 1]! : '';
      let value: string;
      if (spells(buf, p, previous) && buf[p + previous.length] === CR && buf[p + previous.length + 1] === LF) {
        // The value the previous request had here, which passed the checks below: reusing it
        // saves a second walk over its bytes. With the same for the target (request-line.ts):
        // 9855 -> 9250 instructions per pipelined CLI request, 8066 -> 7257 through one library
        // handler (bench/instructions.mjs).
        value = previous;
        p += previous.length;
      } else {
        // The value runs to the first byte it may not hold; the line is valid only if that is its CRLF.
        while (FIELD_VALUE[buf[p]!] === 1) p++;
        if (buf[p] !== CR || buf[p + 1] !== LF) throw new ProtocolError(400, 'Invalid character in header value');
        let valueEnd = p;
        while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB)) valueEnd--;
        value = latin1(buf, valueStart, valueEnd);
        repeats = false;
      }
      const name = headerName(buf, nameStart, nameEnd);
      if (name !== last[n]) repeats = false;
      out[n] = name;
      out[n + 1] = value;
      n += 2;
      p += 2;
    }
    this.end = p + 2;
    // The same lines as last time: the same array. Otherwise one of the exact size, where
    // pushing onto an empty one would reserve 19 slots: 8946 -> 8888 instructions per
    // pipelined CLI request, 7168 -> 7078 through one library handler (bench/instructions.mjs).
    if (repeats && n === last.length) return last;
    const fields = out.slice(0, n);
    this.last = fields;
    return fields;
  }
}

/** Header names common enough to be worth recognising without allocating, grouped by length. */
const COMMON_NAMES_BY_LENGTH: string[][] = [];
for (const name of [
  'host', 'user-agent', 'accept', 'accept-encoding', 'accept-language', 'connection', 'content-length',
  'content-type', 'transfer-encoding', 'expect', 'range', 'if-range', 'if-none-match', 'if-match',
  'if-modified-since', 'if-unmodified-since', 'cookie', 'referer', 'origin', 'cache-control',
  'authorization', 'upgrade', 'te', 'forwarded', 'x-forwarded-for', 'pragma',
]) {
  (COMMON_NAMES_BY_LENGTH[name.length] ??= []).push(name);
}

/** The lower-cased header name in [start, end), which holds only token characters. */
function headerName(buf: Buffer, start: number, end: number): string {
  const candidates = COMMON_NAMES_BY_LENGTH[end - start];
  if (candidates !== undefined) {
    for (const name of candidates) {
      // OR-ing 0x20 lower-cases letters; the names hold only letters and '-', which no
      // other token character can turn into.
      let i = 0;
      while (i < name.length && (buf[start + i]! | 0x20) === name.charCodeAt(i)) i++;
      if (i === name.length) return name;
    }
  }
  return latin1(buf, start, end).toLowerCase();
}
