import { CR, LF } from './chars.js';
import { ProtocolError } from './errors.js';
import type { ParserLimits } from './limits.js';
import { overlongRequestLine } from './request-line.js';

/** Which section a scan covers: a request head (request line, then fields) or a trailer section. */
export const enum Section {
  Head,
  Trailers,
}

/**
 * Finds where a head or trailer section ends (the CRLF of its empty line) as bytes arrive,
 * enforcing CRLF line endings and the size and count limits before the section is complete.
 * Its progress is kept relative to the section start, so each byte is looked at once however
 * the section trickles in, and the verdict is the same whatever the split. Throws ProtocolError.
 */
export class SectionScanner {
  /** Offset of the request line's CR from the section start; -1 until it is seen. */
  private requestLineEnd = -1;
  /** Bytes of the section already scanned. */
  private scanned = 0;
  /** Offset of the current line's start from the section start. */
  private lineStart = 0;
  private lineCount = 0;
  private emptyLines = 0;

  constructor(private readonly limits: ParserLimits) {}

  /** True until a scan has consumed or seen anything of the current section. */
  get fresh(): boolean {
    return this.scanned === 0;
  }

  reset(): void {
    this.scanned = 0;
    this.lineStart = 0;
    this.lineCount = 0;
    this.requestLineEnd = -1;
    this.emptyLines = 0;
  }

  /**
   * Skips the empty lines before a request line that RFC 9112 §2.2 says a server SHOULD ignore,
   * up to the limit. Returns the position after them; a lone CR left at `end` waits for its LF.
   */
  skipEmptyLines(buf: Buffer, pos: number, end: number): number {
    while (pos < end && buf[pos] === CR) {
      if (pos + 1 >= end) return pos;
      if (buf[pos + 1] !== LF) throw new ProtocolError(400, 'Bare CR in request');
      if (++this.emptyLines > this.limits.maxLeadingEmptyLines) throw new ProtocolError(400, 'Too many empty lines');
      pos += 2;
    }
    if (pos < end && buf[pos] === LF) throw new ProtocolError(400, 'Bare LF in request');
    return pos;
  }

  /**
   * Scans the section starting at `base`. Returns the offset just past its empty line, or 0
   * when more bytes are needed.
   */
  scan(buf: Buffer, base: number, end: number, section: Section): number {
    const isHead = section === Section.Head;
    const limits = this.limits;
    const maxFields = limits.maxHeaderCount;
    const maxBytes = isHead ? limits.maxHeaderBytes : limits.maxTrailerBytes;
    let from = base + this.scanned;
    for (;;) {
      const lf = findLF(buf, from, end);
      if (lf < 0) {
        this.scanned = end - base;
        this.checkPartial(buf, base, end - base, isHead);
        return 0;
      }
      // The bytes before this LF get the verdict they would get arriving without it, so that
      // a line both too long and badly ended fails the same way whatever the split.
      this.checkPartial(buf, base, lf - base, isHead);
      if (lf === base || buf[lf - 1] !== CR || lf - 1 < base + this.lineStart) {
        throw new ProtocolError(400, 'Bare LF in request');
      }
      const lineLength = lf - 1 - (base + this.lineStart);
      if (isHead && this.requestLineEnd < 0) {
        if (lineLength > limits.maxRequestLineBytes) throw overlongRequestLine(buf, base, limits.maxRequestLineBytes);
        this.requestLineEnd = lf - 1 - base;
      } else if (lineLength === 0) {
        return lf + 1;
      } else if (++this.lineCount > maxFields) {
        throw new ProtocolError(431, isHead ? 'Too many header fields' : 'Too many trailer fields');
      }
      const fieldsStart = isHead ? this.requestLineEnd + 2 : 0;
      if (lf + 1 - base - fieldsStart > maxBytes + 2) throw this.tooLarge(isHead);
      this.lineStart = lf + 1 - base;
      from = lf + 1;
    }
  }

  /** Checks the limits against the `have` bytes of the section present so far. */
  private checkPartial(buf: Buffer, base: number, have: number, isHead: boolean): void {
    if (isHead && this.requestLineEnd < 0) {
      const max = this.limits.maxRequestLineBytes;
      if (have > max + 1) throw overlongRequestLine(buf, base, max);
      return;
    }
    // One more byte than a complete line may hold: it can be the CR of the closing empty line.
    if (have - this.fieldsStart(isHead) > this.maxBytes(isHead) + 3) throw this.tooLarge(isHead);
  }

  /** Where the field lines start, from the section start. */
  private fieldsStart(isHead: boolean): number {
    return isHead ? this.requestLineEnd + 2 : 0;
  }

  private maxBytes(isHead: boolean): number {
    return isHead ? this.limits.maxHeaderBytes : this.limits.maxTrailerBytes;
  }

  private tooLarge(isHead: boolean): ProtocolError {
    return new ProtocolError(431, isHead ? 'Header section too large' : 'Trailer section too large');
  }
}

/** Index of the first LF in [from, end), or -1. A plain loop: heads are short, and this beats a native call. */
function findLF(buf: Buffer, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === LF) return i;
  return -1;
}
