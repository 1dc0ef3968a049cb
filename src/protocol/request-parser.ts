import { CR, LF } from './chars.js';
import { ChunkState, ChunkedDecoder } from './chunked-decoder.js';
import { ProtocolError } from './errors.js';
import { FieldReader } from './fields.js';
import { applyFraming, repeatFraming } from './framing.js';
import { Section, SectionScanner } from './head-scanner.js';
import { DEFAULT_PARSER_LIMITS, type ParserLimits } from './limits.js';
import type { RequestHead } from './request-head.js';
import { fieldsStart, parseRequestLine } from './request-line.js';

/** What `RequestParser.next()` produced. */
export const ParseEvent = {
  /** More bytes are needed; call `feed()`. */
  NeedData: 0,
  /** A request head is ready in `parser.head`. */
  Head: 1,
  /**
   * A piece of body is ready in `parser.chunk`: a view into the fed bytes, or, for a run of
   * small chunks of a chunked body, their data gathered into one piece. Either stays valid
   * for as long as the caller keeps it.
   */
  Data: 2,
  /** The current request is complete; the next call starts parsing the next one. */
  End: 3,
  /** The input is malformed; `parser.error` says how. The parser stays in this state. */
  Error: 4,
} as const;
export type ParseEvent = (typeof ParseEvent)[keyof typeof ParseEvent];

/** Where the parser is in a message (the chunked body has its own states, in ChunkedDecoder). */
const enum State {
  Head,
  /** Reading a Content-Length body; `remaining` bytes to go. */
  FixedBody,
  ChunkedBody,
  Trailers,
  /** The message is complete; the next call reports End. */
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
 * The work is shared out: SectionScanner finds where a head or trailer section ends while
 * it trickles in, and checks its line ends and limits, parseRequestLine and a FieldReader read
 * its syntax, applyFraming applies the rules that decide the body's length, and ChunkedDecoder
 * reads chunked bodies. A head that arrives whole is read in one pass, and scanned only when
 * the scan's verdict may differ (see readHead). Every one of them reports bad input by throwing
 * ProtocolError; `next()` catches it in one place and stays failed.
 *
 * Policy: lines end in CRLF only. A bare LF or bare CR anywhere in the head, chunk framing
 * or trailers is rejected with 400, so no two parsers can disagree about where a line ends.
 */
export class RequestParser {
  head: RequestHead | null = null;
  chunk: Buffer = EMPTY;
  error: ProtocolError | null = null;

  private readonly limits: ParserLimits;
  private readonly scanner: SectionScanner;
  private readonly chunked: ChunkedDecoder;
  private buf: Buffer = EMPTY;
  /** Start of unconsumed bytes in `buf`. */
  private pos = 0;
  /** End of valid bytes in `buf` (it may have spare capacity when we own it). */
  private end = 0;
  /** True when `buf` was allocated here, so its spare capacity may be appended to. */
  private ownsBuf = false;
  private state: State = State.Head;
  /** Bytes left in the current Content-Length body. */
  private remaining = 0;

  /**
   * The previous request's head and valid Host value (the field readers keep its header
   * lines). Requests on one connection mostly repeat them, and reusing an equal string beats
   * allocating one.
   */
  private lastHead: RequestHead | null = null;
  private readonly headFields: FieldReader;
  private readonly trailerFields: FieldReader;
  private lastValidHost: string | null = null;

  constructor(limits: Partial<ParserLimits> = {}) {
    // A complete limits object (such as the server's options) is shared, not copied.
    this.limits = isComplete(limits) ? limits : { ...DEFAULT_PARSER_LIMITS, ...limits };
    this.scanner = new SectionScanner(this.limits);
    this.headFields = new FieldReader(this.limits.maxHeaderCount, 'Too many header fields');
    this.trailerFields = new FieldReader(this.limits.maxHeaderCount, 'Too many trailer fields');
    this.chunked = new ChunkedDecoder(this.limits);
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

  /**
   * Hands over the fed bytes not consumed yet and forgets them: for a connection that stops
   * speaking HTTP after the last head (an upgrade). The parser is not to be used again.
   */
  takeBuffered(): Buffer {
    const rest = this.buf.subarray(this.pos, this.end);
    this.buf = EMPTY;
    this.pos = this.end = 0;
    this.ownsBuf = false;
    this.state = State.Failed;
    return rest;
  }

  /** Produces the next event. See `ParseEvent`. */
  next(): ParseEvent {
    if (this.pos === this.end && this.buf !== EMPTY) {
      // Everything fed was consumed: let go of the buffer (idle connections hold nothing).
      this.buf = EMPTY;
      this.pos = this.end = 0;
      this.ownsBuf = false;
    }
    try {
      switch (this.state) {
        case State.Head:
          return this.readHead();
        case State.FixedBody:
          return this.readFixedBody();
        case State.ChunkedBody:
          return this.readChunkedBody();
        case State.Trailers:
          return this.readTrailers();
        case State.Done:
          return this.finishMessage();
        case State.Failed:
          return ParseEvent.Error;
      }
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      this.state = State.Failed;
      this.error = error;
      this.chunk = EMPTY;
      this.chunked.release();
      return ParseEvent.Error;
    }
  }

  private readHead(): ParseEvent {
    const buf = this.buf;
    const end = this.end;
    const scanner = this.scanner;
    if (scanner.fresh) {
      this.pos = scanner.skipEmptyLines(buf, this.pos, end);
      // Nothing yet, or a last CR that may start another empty line.
      if (this.pos === end || buf[this.pos] === CR) return ParseEvent.NeedData;
    }
    const start = this.pos;
    let head: RequestHead;
    if (scanner.fresh && holdsHeadEnd(buf, start, end)) {
      // One pass: the head is all here, so it is parsed without first being scanned for its
      // end. The scan still has the first say on what it checks (line ends, limits), as when
      // the head trickles in, so it runs over the head when the parse fails or a limit is
      // near: the verdict stays the same whatever the split. Skipping the scan of a complete
      // head: 11027 -> 9855 instructions per pipelined CLI request, 9236 -> 8066 through one
      // library handler (bench/instructions.mjs).
      try {
        head = parseRequestLine(buf, start, end, this.lastHead);
        head.fields = this.headFields.read(buf, fieldsStart(start, head));
      } catch (error) {
        scanner.scan(buf, start, end, Section.Head);
        throw error;
      }
      if (!this.clearlyWithinLimits(start, head, this.headFields.end)) scanner.scan(buf, start, end, Section.Head);
    } else {
      if (scanner.scan(buf, start, end, Section.Head) === 0) return ParseEvent.NeedData;
      head = parseRequestLine(buf, start, end, this.lastHead);
      head.fields = this.headFields.read(buf, fieldsStart(start, head));
    }
    const headEnd = this.headFields.end;
    scanner.reset();
    this.pos = headEnd;
    const previous = this.lastHead;
    if (previous !== null && head.fields === previous.fields && head.versionMinor === previous.versionMinor) {
      // Every header line repeats the previous request's (the field reader handed out the same
      // array) and so does the version: the rules give the same verdict. 6961 -> 6824
      // instructions per pipelined request through one library handler (bench/instructions.mjs;
      // the CLI's ~1% is within its run-to-run spread).
      repeatFraming(head, previous);
    } else {
      applyFraming(head, this.limits.maxBodyBytes, this.lastValidHost);
      if (head.host !== null) this.lastValidHost = head.host;
    }
    this.lastHead = head;
    this.head = head;
    if (head.chunked) {
      this.state = State.ChunkedBody;
      this.chunked.start();
    } else if (head.contentLength > 0) {
      this.state = State.FixedBody;
      this.remaining = head.contentLength;
    } else {
      this.state = State.Done;
    }
    return ParseEvent.Head;
  }

  /**
   * True when a head read in one pass is well inside the scan's limits, so the scan could not
   * have refused it. The test is a little stricter than the scan's own; a head near a limit is
   * scanned, and the scan decides.
   */
  private clearlyWithinLimits(start: number, head: RequestHead, headEnd: number): boolean {
    const limits = this.limits;
    const fields = fieldsStart(start, head);
    return (
      fields - 2 - start <= limits.maxRequestLineBytes &&
      headEnd - fields <= limits.maxHeaderBytes &&
      head.fields.length >> 1 <= limits.maxHeaderCount
    );
  }

  private readFixedBody(): ParseEvent {
    const available = this.end - this.pos;
    if (available === 0) return ParseEvent.NeedData;
    const n = available < this.remaining ? available : this.remaining;
    this.chunk = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    this.remaining -= n;
    if (this.remaining === 0) this.state = State.Done;
    return ParseEvent.Data;
  }

  private readChunkedBody(): ParseEvent {
    const decoder = this.chunked;
    this.pos = decoder.decode(this.buf, this.pos, this.end);
    if (decoder.data.length > 0) {
      this.chunk = decoder.data;
      return ParseEvent.Data;
    }
    if (decoder.state !== ChunkState.Trailers) return ParseEvent.NeedData;
    this.state = State.Trailers;
    return this.readTrailers();
  }

  private readTrailers(): ParseEvent {
    const scanner = this.scanner;
    if (scanner.fresh && this.pos < this.end && this.buf[this.pos] === LF) {
      throw new ProtocolError(400, 'Bare LF in chunk framing');
    }
    const sectionEnd = scanner.scan(this.buf, this.pos, this.end, Section.Trailers);
    if (sectionEnd === 0) return ParseEvent.NeedData;
    const start = this.pos;
    scanner.reset();
    this.pos = sectionEnd;
    // Trailers are validated like headers, then dropped: none of them may change framing.
    this.trailerFields.read(this.buf, start);
    return this.finishMessage();
  }

  /** Ends the current message and holds on to nothing of it. */
  private finishMessage(): ParseEvent {
    this.state = State.Head;
    this.head = null;
    this.chunk = EMPTY;
    this.chunked.release();
    return ParseEvent.End;
  }
}

/**
 * True when a head's end (CRLF CRLF) lies in [start, end). The last bytes fed are checked
 * first: a GET, or a pipelined batch of them, ends there, and that costs four reads instead
 * of a search.
 */
function holdsHeadEnd(buf: Buffer, start: number, end: number): boolean {
  if (end - start >= 4 && buf[end - 1] === LF && buf[end - 2] === CR && buf[end - 3] === LF && buf[end - 4] === CR) {
    return true;
  }
  const at = buf.indexOf(HEAD_END, start);
  // A buffer the parser owns may hold stale bytes past `end`: a match there does not count.
  return at >= 0 && at + 4 <= end;
}

const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

function isComplete(limits: Partial<ParserLimits>): limits is ParserLimits {
  for (const key in DEFAULT_PARSER_LIMITS) if (limits[key as keyof ParserLimits] === undefined) return false;
  return true;
}
