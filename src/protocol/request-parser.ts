import { CR, FIELD_VALUE, HEX_VALUE, HTAB, LF, SP, TARGET, TOKEN } from './chars.js';
import { ProtocolError } from './errors.js';
import { isValidHostHeader } from './host.js';
import { latin1 } from './latin1.js';
import { DEFAULT_PARSER_LIMITS, type ParserLimits } from './limits.js';
import { RequestHead, type TargetForm } from './request-head.js';

/** What `RequestParser.next()` produced. */
export const ParseEvent = {
  /** More bytes are needed; call `feed()`. */
  NeedData: 0,
  /** A request head is ready in `parser.head`. */
  Head: 1,
  /** A piece of body is ready in `parser.chunk` (a view into the fed bytes, not a copy). */
  Data: 2,
  /** The current request is complete; the next call starts parsing the next one. */
  End: 3,
  /** The input is malformed; `parser.error` says how. The parser stays in this state. */
  Error: 4,
} as const;
export type ParseEvent = (typeof ParseEvent)[keyof typeof ParseEvent];

const enum State {
  Head,
  BodyLength,
  ChunkSize,
  ChunkData,
  ChunkDataEnd,
  Trailers,
  Done,
  Failed,
}

const EMPTY = Buffer.alloc(0);

/**
 * Incremental, sans-I/O HTTP/1.1 request parser (RFC 9112).
 *
 * Bytes go in with `feed()`, split anywhere; events come out of `next()` one at a time,
 * identical whatever the split. It never touches sockets or timers: the caller decides
 * when to pull the next event, which is how it applies backpressure and keeps pipelined
 * requests in order.
 *
 * Policy: lines end in CRLF only. A bare LF or bare CR anywhere in the head, chunk framing
 * or trailers is rejected with 400, so no two parsers can disagree about where a line ends.
 */
export class RequestParser {
  head: RequestHead | null = null;
  chunk: Buffer = EMPTY;
  error: ProtocolError | null = null;

  private readonly limits: ParserLimits;
  private buf: Buffer = EMPTY;
  /** Start of unconsumed bytes in `buf`. */
  private pos = 0;
  /** End of valid bytes in `buf` (it may have spare capacity when we own it). */
  private end = 0;
  /** True when `buf` was allocated here, so its spare capacity may be appended to. */
  private ownsBuf = false;
  private state: State = State.Head;

  // Line scanning of a head or trailer section, relative to `pos`; survives partial feeds.
  private scanned = 0;
  private lineStart = 0;
  private lineCount = 0;
  private requestLineEnd = -1;
  private emptyLines = 0;
  private lastValidHost: string | null = null;
  /**
   * The previous request's target and header values, by position. Requests on one
   * connection mostly repeat them, and reusing an equal string beats allocating one.
   */
  private lastTarget = '';
  private readonly lastValues: string[] = [];

  /** Bytes left in the current Content-Length body or chunk. */
  private remaining = 0;
  /** Body bytes seen so far in this message (for the chunked size limit). */
  private bodyBytes = 0;

  constructor(limits: Partial<ParserLimits> = {}) {
    // A complete limits object (such as the server's options) is shared, not copied.
    this.limits = isComplete(limits) ? limits : { ...DEFAULT_PARSER_LIMITS, ...limits };
  }

  /** Number of fed bytes not yet consumed. */
  get buffered(): number {
    return this.end - this.pos;
  }

  /** Appends bytes. The parser keeps a reference to `data` and never modifies it. */
  feed(data: Buffer): void {
    if (data.length === 0) return;
    if (this.pos === this.end) {
      this.buf = data;
      this.pos = 0;
      this.end = data.length;
      this.ownsBuf = false;
      return;
    }
    if (this.ownsBuf && this.buf.length - this.end >= data.length) {
      data.copy(this.buf, this.end);
      this.end += data.length;
      return;
    }
    // Grow geometrically so a head trickling in byte by byte costs linear, not quadratic, copying.
    const left = this.end - this.pos;
    const next = Buffer.allocUnsafe(Math.max(left + data.length, left * 2, 1024));
    this.buf.copy(next, 0, this.pos, this.end);
    data.copy(next, left);
    this.buf = next;
    this.pos = 0;
    this.end = left + data.length;
    this.ownsBuf = true;
  }

  /** Produces the next event. See `ParseEvent`. */
  next(): ParseEvent {
    if (this.pos === this.end && this.buf !== EMPTY) {
      // Everything fed was consumed: let go of the buffer (idle connections hold nothing).
      this.buf = EMPTY;
      this.pos = this.end = 0;
      this.ownsBuf = false;
    }
    switch (this.state) {
      case State.Head:
        return this.parseHead();
      case State.BodyLength:
        return this.readBody(State.Done);
      case State.ChunkSize:
        return this.parseChunkSize();
      case State.ChunkData:
        return this.readBody(State.ChunkDataEnd);
      case State.ChunkDataEnd:
        return this.parseChunkDataEnd();
      case State.Trailers:
        return this.parseTrailers();
      case State.Done:
        return this.finishMessage();
      case State.Failed:
        return ParseEvent.Error;
    }
  }

  private fail(status: number, message: string): ParseEvent {
    this.state = State.Failed;
    this.error = new ProtocolError(status, message);
    this.chunk = EMPTY;
    return ParseEvent.Error;
  }

  // ---- head ---------------------------------------------------------------------------

  private parseHead(): ParseEvent {
    const buf = this.buf;
    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a request-line.
    if (this.scanned === 0) {
      while (this.pos < this.end && buf[this.pos] === CR) {
        if (this.pos + 1 >= this.end) return ParseEvent.NeedData;
        if (buf[this.pos + 1] !== LF) return this.fail(400, 'Bare CR in request');
        if (++this.emptyLines > this.limits.maxLeadingEmptyLines) return this.fail(400, 'Too many empty lines');
        this.pos += 2;
      }
      if (this.pos < this.end && buf[this.pos] === LF) return this.fail(400, 'Bare LF in request');
      if (this.pos === this.end) return ParseEvent.NeedData;
    }
    const headEnd = this.scanSection(true);
    if (headEnd <= 0) return headEnd === 0 ? ParseEvent.NeedData : ParseEvent.Error;
    const start = this.pos;
    const requestLineEnd = start + this.requestLineEnd;
    this.resetScan();
    this.pos = headEnd;
    const head = this.parseRequestLine(start, requestLineEnd);
    if (head === null) return ParseEvent.Error;
    if (!this.parseFields(requestLineEnd + 2, headEnd - 2, head.fields)) return ParseEvent.Error;
    if (!this.applyFraming(head)) return ParseEvent.Error;
    this.head = head;
    this.bodyBytes = 0;
    if (head.chunked) {
      this.state = State.ChunkSize;
    } else if (head.contentLength > 0) {
      this.state = State.BodyLength;
      this.remaining = head.contentLength;
    } else {
      this.state = State.Done;
    }
    return ParseEvent.Head;
  }

  private resetScan(): void {
    this.scanned = 0;
    this.lineStart = 0;
    this.lineCount = 0;
    this.requestLineEnd = -1;
    this.emptyLines = 0;
  }

  /**
   * Finds the end of a head (or trailer) section: the CRLF of its empty line. Returns the
   * absolute offset just past it, 0 when more data is needed, or -1 after failing.
   * Enforces CRLF line endings and the size and count limits as bytes arrive.
   */
  private scanSection(isHead: boolean): number {
    const buf = this.buf;
    const base = this.pos;
    const limits = this.limits;
    const maxFields = limits.maxHeaderCount;
    const maxBytes = isHead ? limits.maxHeaderBytes : limits.maxTrailerBytes;
    let from = base + this.scanned;
    for (;;) {
      const lf = findLF(buf, from, this.end);
      if (lf < 0) {
        this.scanned = this.end - base;
        return this.checkPartialSection(isHead, maxBytes, this.end - base);
      }
      // The bytes before this LF get the verdict they would get arriving without it, so that
      // a line both too long and badly ended fails the same way whatever the split.
      if (this.checkPartialSection(isHead, maxBytes, lf - base) < 0) return -1;
      if (lf === base || buf[lf - 1] !== CR || lf - 1 < base + this.lineStart) {
        this.fail(400, 'Bare LF in request');
        return -1;
      }
      const lineLength = lf - 1 - (base + this.lineStart);
      if (isHead && this.requestLineEnd < 0) {
        if (lineLength > limits.maxRequestLineBytes) {
          this.fail(414, 'Request line too long');
          return -1;
        }
        this.requestLineEnd = lf - 1 - base;
      } else if (lineLength === 0) {
        return lf + 1;
      } else if (++this.lineCount > maxFields) {
        this.fail(431, isHead ? 'Too many header fields' : 'Too many trailer fields');
        return -1;
      }
      const sectionStart = isHead ? this.requestLineEnd + 2 : 0;
      if (lf + 1 - base - sectionStart > maxBytes + 2) {
        this.fail(431, isHead ? 'Header section too large' : 'Trailer section too large');
        return -1;
      }
      this.lineStart = lf + 1 - base;
      from = lf + 1;
    }
  }

  /** Checks the limits against the `have` bytes of the section present so far; 0, or -1 after failing. */
  private checkPartialSection(isHead: boolean, maxBytes: number, have: number): number {
    if (isHead && this.requestLineEnd < 0) {
      if (have > this.limits.maxRequestLineBytes + 1) {
        this.fail(414, 'Request line too long');
        return -1;
      }
      return 0;
    }
    const sectionStart = isHead ? this.requestLineEnd + 2 : 0;
    // One more byte than a complete line may hold: it can be the CR of the closing empty line.
    if (have - sectionStart > maxBytes + 3) {
      this.fail(431, isHead ? 'Header section too large' : 'Trailer section too large');
      return -1;
    }
    return 0;
  }

  /** Parses `method SP request-target SP HTTP-version` in [start, lineEnd). */
  private parseRequestLine(start: number, lineEnd: number): RequestHead | null {
    const buf = this.buf;
    let p = start;
    while (p < lineEnd && TOKEN[buf[p]!] === 1) p++;
    if (p === start || p >= lineEnd || buf[p] !== SP) {
      this.fail(400, 'Malformed request line');
      return null;
    }
    const method = methodName(buf, start, p);
    const targetStart = ++p;
    while (p < lineEnd && TARGET[buf[p]!] === 1) p++;
    if (p === targetStart || p >= lineEnd || buf[p] !== SP) {
      const c = buf[p];
      this.fail(400, c === 0x23 ? 'Fragment in request target' : 'Malformed request target');
      return null;
    }
    const target = reuseOrSlice(buf, targetStart, p, this.lastTarget);
    this.lastTarget = target;
    const versionMinor = this.parseVersion(p + 1, lineEnd);
    if (versionMinor < 0) return null;
    return this.splitTarget(method, target, versionMinor);
  }

  /** Returns the minor version (0 or 1), or -1 after failing. */
  private parseVersion(p: number, lineEnd: number): number {
    const buf = this.buf;
    const wellFormed =
      lineEnd - p === 8 &&
      buf[p] === 0x48 &&
      buf[p + 1] === 0x54 &&
      buf[p + 2] === 0x54 &&
      buf[p + 3] === 0x50 &&
      buf[p + 4] === 0x2f &&
      isDigit(buf[p + 5]!) &&
      buf[p + 6] === 0x2e &&
      isDigit(buf[p + 7]!);
    if (!wellFormed) {
      this.fail(400, 'Malformed HTTP version');
      return -1;
    }
    const major = buf[p + 5]! - 0x30;
    const minor = buf[p + 7]! - 0x30;
    if (major !== 1 || minor > 1) {
      this.fail(505, 'HTTP version not supported');
      return -1;
    }
    return minor;
  }

  private splitTarget(method: string, target: string, versionMinor: number): RequestHead | null {
    const fields: string[] = [];
    const first = target.charCodeAt(0);
    let form: TargetForm;
    let path: string;
    let query = '';
    if (method === 'CONNECT') {
      // authority-form: host ":" port, nothing else.
      if (!/:[0-9]{1,5}$/.test(target) || !isValidHostHeader(target) || target.includes('/')) {
        this.fail(400, 'CONNECT needs an authority-form target');
        return null;
      }
      form = 'authority';
      path = target;
    } else if (first === 0x2f /* / */) {
      form = 'origin';
      path = target;
    } else if (target === '*') {
      if (method !== 'OPTIONS') {
        this.fail(400, 'Asterisk target is only for OPTIONS');
        return null;
      }
      return new RequestHead(method, target, 'asterisk', '*', '', versionMinor, fields);
    } else {
      const scheme = /^https?:\/\//i.exec(target);
      if (scheme === null) {
        this.fail(400, 'Malformed request target');
        return null;
      }
      const rest = target.slice(scheme[0].length);
      let authorityEnd = rest.search(/[/?]/);
      if (authorityEnd < 0) authorityEnd = rest.length;
      const authority = rest.slice(0, authorityEnd);
      if (authority === '' || authority.charCodeAt(0) === 0x3a || !isValidHostHeader(authority)) {
        this.fail(400, 'Invalid authority in request target');
        return null;
      }
      form = 'absolute';
      path = rest.slice(authorityEnd);
      if (path === '' || path.charCodeAt(0) === 0x3f) path = `/${path}`;
    }
    if (form !== 'authority') {
      const q = path.indexOf('?');
      if (q >= 0) {
        query = path.slice(q + 1);
        path = path.slice(0, q);
      }
    }
    return new RequestHead(method, target, form, path, query, versionMinor, fields);
  }

  /**
   * Parses header (or trailer) lines in [start, sectionEnd), each ending in CRLF.
   * Returns false after failing.
   */
  private parseFields(start: number, sectionEnd: number, fields: string[]): boolean {
    const buf = this.buf;
    let p = start;
    while (p < sectionEnd) {
      const c = buf[p]!;
      if (c === SP || c === HTAB) return this.failed(400, 'Obsolete line folding');
      const nameStart = p;
      while (TOKEN[buf[p]!] === 1) p++;
      if (p === nameStart) return this.failed(400, 'Invalid header name');
      if (buf[p] !== 0x3a /* : */) {
        return this.failed(400, buf[p] === SP || buf[p] === HTAB ? 'Whitespace before colon' : 'Invalid header name');
      }
      const nameEnd = p++;
      while (buf[p] === SP || buf[p] === HTAB) p++;
      const valueStart = p;
      // The value runs to the first byte it may not hold; the line is valid only if that is its CRLF.
      while (FIELD_VALUE[buf[p]!] === 1) p++;
      if (buf[p] !== CR || buf[p + 1] !== LF) return this.failed(400, 'Invalid character in header value');
      const lineEnd = p;
      let valueEnd = lineEnd;
      while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB)) valueEnd--;
      const index = fields.length >> 1;
      const value = reuseOrSlice(buf, valueStart, valueEnd, this.lastValues[index] ?? '');
      this.lastValues[index] = value;
      fields.push(headerName(buf, nameStart, nameEnd), value);
      p = lineEnd + 2;
    }
    return true;
  }

  private failed(status: number, message: string): false {
    this.fail(status, message);
    return false;
  }

  /** Applies Host, Content-Length, Transfer-Encoding, Connection and Expect. */
  private applyFraming(head: RequestHead): boolean {
    const fields = head.fields;
    let hosts = 0;
    let contentLengths = 0;
    let transferCodings: string[] | null = null;
    let close = false;
    let keepAlive = false;
    for (let i = 0; i < fields.length; i += 2) {
      const name = fields[i]!;
      const value = fields[i + 1]!;
      switch (name) {
        case 'host':
          if (++hosts > 1) return this.failed(400, 'Multiple Host headers');
          if (value !== this.lastValidHost) {
            if (!isValidHostHeader(value)) return this.failed(400, 'Invalid Host header');
            this.lastValidHost = value; // a connection's requests nearly always repeat it
          }
          head.host = value;
          break;
        case 'content-length': {
          // Any repetition is refused, even of an identical value: no guessing about framing.
          if (++contentLengths > 1) return this.failed(400, 'Multiple Content-Length headers');
          const length = parseDecimal(value);
          if (length === -1) return this.failed(400, 'Invalid Content-Length');
          if (length === -2 || length > this.limits.maxBodyBytes) return this.failed(413, 'Request body too large');
          head.contentLength = length;
          break;
        }
        case 'transfer-encoding':
          transferCodings ??= [];
          for (const item of value.split(',')) {
            const coding = item.trim().toLowerCase();
            if (coding === '') return this.failed(400, 'Invalid Transfer-Encoding');
            transferCodings.push(coding);
          }
          break;
        case 'connection':
          for (const item of value.split(',')) {
            const option = item.trim().toLowerCase();
            if (option === 'close') close = true;
            else if (option === 'keep-alive') keepAlive = true;
          }
          break;
        case 'expect':
          if (value.toLowerCase() === '100-continue') head.expectContinue = true;
          else head.unsupportedExpectation = value;
          break;
      }
    }
    if (head.versionMinor === 1 && hosts === 0) return this.failed(400, 'Missing Host header');
    if (transferCodings !== null) {
      if (head.versionMinor === 0) return this.failed(400, 'Transfer-Encoding in an HTTP/1.0 request');
      if (contentLengths > 0) return this.failed(400, 'Both Transfer-Encoding and Content-Length');
      const last = transferCodings.length - 1;
      if (transferCodings[last] !== 'chunked') return this.failed(400, 'Transfer-Encoding must end in chunked');
      for (let i = 0; i < last; i++) {
        const coding = transferCodings[i]!;
        if (coding === 'chunked') return this.failed(400, 'chunked applied twice');
        if (!/^[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(coding)) return this.failed(400, 'Invalid Transfer-Encoding');
        return this.failed(501, `Transfer coding not implemented: ${coding}`);
      }
      head.chunked = true;
      head.contentLength = -1;
    }
    head.keepAlive = !close && (head.versionMinor === 1 || keepAlive);
    return true;
  }

  // ---- body ---------------------------------------------------------------------------

  private readBody(after: State): ParseEvent {
    const available = this.end - this.pos;
    if (available === 0) return ParseEvent.NeedData;
    const n = available < this.remaining ? available : this.remaining;
    this.chunk = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.remaining -= n;
    if (this.remaining === 0) this.state = after;
    return ParseEvent.Data;
  }

  /** chunk-size [ chunk-ext ] CRLF, with the extension grammar of RFC 9112 §7.1.1. */
  private parseChunkSize(): ParseEvent {
    const buf = this.buf;
    const start = this.pos;
    const lf = buf.indexOf(LF, start);
    if (lf < 0 || lf >= this.end) {
      if (this.end - start > this.limits.maxChunkLineBytes) return this.fail(400, 'Chunk extensions too long');
      // A CR anywhere but at the end of the line is a bare CR.
      const cr = buf.indexOf(CR, start);
      if (cr >= 0 && cr < this.end - 1) return this.fail(400, 'Bare CR in chunk size line');
      return ParseEvent.NeedData;
    }
    if (lf - start > this.limits.maxChunkLineBytes) return this.fail(400, 'Chunk extensions too long');
    if (lf === start || buf[lf - 1] !== CR) return this.fail(400, 'Bare LF in chunk framing');
    const lineEnd = lf - 1;
    let p = start;
    let size = 0;
    while (p < lineEnd && HEX_VALUE[buf[p]!]! !== 255) {
      size = size * 16 + HEX_VALUE[buf[p]!]!;
      if (size > Number.MAX_SAFE_INTEGER / 16) return this.fail(400, 'Chunk size too large');
      p++;
    }
    if (p === start) return this.fail(400, 'Invalid chunk size');
    if (p < lineEnd && !this.validChunkExtensions(p, lineEnd)) return this.fail(400, 'Invalid chunk extension');
    this.pos = lf + 1;
    this.bodyBytes += size;
    if (this.bodyBytes > this.limits.maxBodyBytes) return this.fail(413, 'Request body too large');
    if (size === 0) {
      this.state = State.Trailers;
      return this.parseTrailers();
    }
    this.remaining = size;
    this.state = State.ChunkData;
    return this.readBody(State.ChunkDataEnd);
  }

  /** *( BWS ";" BWS ext-name [ BWS "=" BWS ( token / quoted-string ) ] ) over [p, end). */
  private validChunkExtensions(p: number, end: number): boolean {
    const buf = this.buf;
    const skipWs = (): void => {
      while (p < end && (buf[p] === SP || buf[p] === HTAB)) p++;
    };
    while (p < end) {
      skipWs();
      if (buf[p] !== 0x3b /* ; */) return false;
      p++;
      skipWs();
      const nameStart = p;
      while (p < end && TOKEN[buf[p]!] === 1) p++;
      if (p === nameStart) return false;
      skipWs();
      if (p < end && buf[p] === 0x3d /* = */) {
        p++;
        skipWs();
        if (buf[p] === 0x22 /* " */) {
          p++;
          for (;;) {
            if (p >= end) return false;
            const c = buf[p]!;
            if (c === 0x22) break;
            if (c === 0x5c /* \ */) {
              p++;
              if (p >= end || FIELD_VALUE[buf[p]!] !== 1) return false;
            } else if (FIELD_VALUE[c] !== 1) {
              return false;
            }
            p++;
          }
          p++;
        } else {
          const valueStart = p;
          while (p < end && TOKEN[buf[p]!] === 1) p++;
          if (p === valueStart) return false;
        }
        skipWs();
      }
    }
    return true;
  }

  private parseChunkDataEnd(): ParseEvent {
    const available = this.end - this.pos;
    if (available === 0) return ParseEvent.NeedData;
    if (this.buf[this.pos] !== CR) return this.fail(400, 'Missing CRLF after chunk data');
    if (available === 1) return ParseEvent.NeedData;
    if (this.buf[this.pos + 1] !== LF) return this.fail(400, 'Missing CRLF after chunk data');
    this.pos += 2;
    this.state = State.ChunkSize;
    return this.parseChunkSize();
  }

  private parseTrailers(): ParseEvent {
    if (this.scanned === 0 && this.pos < this.end && this.buf[this.pos] === LF) {
      return this.fail(400, 'Bare LF in chunk framing');
    }
    const sectionEnd = this.scanSection(false);
    if (sectionEnd <= 0) return sectionEnd === 0 ? ParseEvent.NeedData : ParseEvent.Error;
    const start = this.pos;
    this.resetScan();
    this.pos = sectionEnd;
    // Trailers are validated like headers, then dropped: none of them may change framing.
    if (!this.parseFields(start, sectionEnd - 2, [])) return ParseEvent.Error;
    return this.finishMessage();
  }

  /** Ends the current message and holds on to nothing of it. */
  private finishMessage(): ParseEvent {
    this.state = State.Head;
    this.head = null;
    this.chunk = EMPTY;
    return ParseEvent.End;
  }
}

function isComplete(limits: Partial<ParserLimits>): limits is ParserLimits {
  for (const key in DEFAULT_PARSER_LIMITS) if (limits[key as keyof ParserLimits] === undefined) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** 1*DIGIT as a number; -1 when malformed, -2 when beyond 2^53. */
function parseDecimal(value: string): number {
  const n = value.length;
  if (n === 0) return -1;
  let result = 0;
  for (let i = 0; i < n; i++) {
    const d = value.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    result = result * 10 + d;
  }
  return result > Number.MAX_SAFE_INTEGER ? -2 : result;
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

/** Index of the first LF in [from, end), or -1. A plain loop: heads are short, and this beats a native call. */
function findLF(buf: Buffer, from: number, end: number): number {
  for (let i = from; i < end; i++) if (buf[i] === LF) return i;
  return -1;
}

/** The latin-1 text of [start, end), returning `previous` when it holds exactly those bytes. */
function reuseOrSlice(buf: Buffer, start: number, end: number, previous: string): string {
  const length = end - start;
  if (previous.length === length) {
    let i = 0;
    while (i < length && buf[start + i] === previous.charCodeAt(i)) i++;
    if (i === length) return previous;
  }
  return latin1(buf, start, end);
}
