import { CR, FIELD_VALUE, HEX_VALUE, HTAB, LF, SP, TOKEN } from './chars.js';
import { ProtocolError } from './errors.js';
import type { ParserLimits } from './limits.js';

/** Where the decoder is in `*( chunk-size [ chunk-ext ] CRLF chunk-data CRLF ) last-chunk` (RFC 9112 §7.1). */
export const enum ChunkState {
  /** Expecting a chunk-size line. */
  Size,
  /** Inside chunk data, with `remaining` bytes of it to come. */
  Data,
  /** After chunk data, expecting its CRLF. */
  DataCrlf,
  /** The last chunk has been read; the trailer section follows (read by the parser's section scanner). */
  Trailers,
}

const EMPTY = Buffer.alloc(0);

/** Decodes a chunked body. Throws ProtocolError on malformed framing or a body over the limit. */
export class ChunkedDecoder {
  state: ChunkState = ChunkState.Size;
  /** The body bytes produced by the last `decode()`, or an empty buffer when there are none. */
  data: Buffer = EMPTY;

  /** Bytes left in the current chunk's data. */
  private remaining = 0;
  /** Body bytes announced so far in this message (for the body size limit). */
  private bodyBytes = 0;

  constructor(private readonly limits: ParserLimits) {}

  /** Prepares for a new message. */
  start(): void {
    this.state = ChunkState.Size;
    this.remaining = 0;
    this.bodyBytes = 0;
  }

  /** Lets go of the last data (an idle parser holds no body memory). */
  release(): void {
    this.data = EMPTY;
  }

  /**
   * Decodes from buf[pos, end) until a piece of body is ready in `data`, more bytes are needed
   * (`data` empty, state not Trailers), or the last chunk has been read (state Trailers).
   * Returns the position after what it consumed.
   */
  decode(buf: Buffer, pos: number, end: number): number {
    this.data = EMPTY;
    for (;;) {
      switch (this.state) {
        case ChunkState.Size: {
          const next = this.readSizeLine(buf, pos, end);
          if (next < 0) return pos;
          pos = next;
          break;
        }
        case ChunkState.Data:
          return this.readData(buf, pos, end);
        case ChunkState.DataCrlf:
          if (pos === end) return pos;
          if (buf[pos] !== CR) throw new ProtocolError(400, 'Missing CRLF after chunk data');
          if (pos + 1 === end) return pos;
          if (buf[pos + 1] !== LF) throw new ProtocolError(400, 'Missing CRLF after chunk data');
          pos += 2;
          this.state = ChunkState.Size;
          break;
        case ChunkState.Trailers:
          return pos;
      }
    }
  }

  /** chunk-size [ chunk-ext ] CRLF at `start`; returns the position after it, or -1 when incomplete. */
  private readSizeLine(buf: Buffer, start: number, end: number): number {
    const maxLine = this.limits.maxChunkLineBytes;
    const lf = buf.indexOf(LF, start);
    if (lf < 0 || lf >= end) {
      if (end - start > maxLine) throw new ProtocolError(400, 'Chunk extensions too long');
      // A CR anywhere but at the end of the line is a bare CR.
      const cr = buf.indexOf(CR, start);
      if (cr >= 0 && cr < end - 1) throw new ProtocolError(400, 'Bare CR in chunk size line');
      return -1;
    }
    if (lf - start > maxLine) throw new ProtocolError(400, 'Chunk extensions too long');
    if (lf === start || buf[lf - 1] !== CR) throw new ProtocolError(400, 'Bare LF in chunk framing');
    const lineEnd = lf - 1;
    let p = start;
    let size = 0;
    while (p < lineEnd) {
      const digit = HEX_VALUE[buf[p]!]!;
      if (digit === 255) break;
      size = size * 16 + digit;
      if (size > Number.MAX_SAFE_INTEGER / 16) throw new ProtocolError(400, 'Chunk size too large');
      p++;
    }
    if (p === start) throw new ProtocolError(400, 'Invalid chunk size');
    if (p < lineEnd) checkExtensions(buf, p, lineEnd);
    this.bodyBytes += size;
    if (this.bodyBytes > this.limits.maxBodyBytes) throw new ProtocolError(413, 'Request body too large');
    this.remaining = size;
    this.state = size === 0 ? ChunkState.Trailers : ChunkState.Data;
    return lf + 1;
  }

  private readData(buf: Buffer, pos: number, end: number): number {
    const available = end - pos;
    if (available === 0) return pos;
    const remaining = this.remaining;
    const n = available < remaining ? available : remaining;
    this.data = buf.subarray(pos, pos + n);
    this.remaining = remaining - n;
    if (this.remaining === 0) this.state = ChunkState.DataCrlf;
    return pos + n;
  }
}

/**
 * chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ( token / quoted-string ) ] ) over [p, end)
 * (RFC 9112 §7.1.1). Extensions are validated and ignored.
 */
function checkExtensions(buf: Buffer, p: number, end: number): void {
  const skipWs = (): void => {
    while (p < end && (buf[p] === SP || buf[p] === HTAB)) p++;
  };
  const invalid = (): ProtocolError => new ProtocolError(400, 'Invalid chunk extension');
  while (p < end) {
    skipWs();
    if (buf[p] !== 0x3b /* ; */) throw invalid();
    p++;
    skipWs();
    const nameStart = p;
    while (p < end && TOKEN[buf[p]!] === 1) p++;
    if (p === nameStart) throw invalid();
    skipWs();
    if (p < end && buf[p] === 0x3d /* = */) {
      p++;
      skipWs();
      if (buf[p] === 0x22 /* " */) {
        p++;
        for (;;) {
          if (p >= end) throw invalid();
          const c = buf[p]!;
          if (c === 0x22) break;
          if (c === 0x5c /* \ */) {
            p++;
            if (p >= end || FIELD_VALUE[buf[p]!] !== 1) throw invalid();
          } else if (FIELD_VALUE[c] !== 1) {
            throw invalid();
          }
          p++;
        }
        p++;
      } else {
        const valueStart = p;
        while (p < end && TOKEN[buf[p]!] === 1) p++;
        if (p === valueStart) throw invalid();
      }
      skipWs();
    }
  }
}
