import type { Readable } from 'node:stream';
import {
  BodyFraming,
  CHUNK_TRAILER,
  LAST_CHUNK,
  chunkHeader,
  isFieldValue,
  isToken,
  serializeResponseHead,
  statusForbidsBody,
} from '../protocol/index.js';
import { httpDate } from './http-date.js';

/** @internal What a Response needs from its connection. */
export interface ResponseSink {
  /**
   * Queues bytes (strings are latin-1) for the socket; false when the caller should wait for
   * `waitForDrain`. `done` is called once the socket no longer needs `data` (not when the
   * connection is gone).
   */
  write(data: Buffer | string, done?: () => void): boolean;
  /** Groups the writes until `uncork` into one system call. */
  cork(): void;
  uncork(): void;
  waitForDrain(): Promise<void>;
  /** Whether the connection will close after this response (decided per exchange). */
  readonly closeAfterResponse: boolean;
  /** True when the client speaks HTTP/1.1 (chunked responses are possible). */
  readonly peerIsHttp11: boolean;
  /** True when the peer asked for keep-alive with HTTP/1.0 and must be told it is granted. */
  readonly announceKeepAlive: boolean;
  /** The socket is gone; writes are dropped. */
  readonly gone: boolean;
  responseComplete(closeAfterResponse: boolean): void;
  /** Tears the connection down: used when a body cannot be completed as framed. */
  abort(reason: Error): void;
}

export type Body = string | Uint8Array;

/** Bodies up to this size are copied into the head's buffer so the response leaves in one write. */
const COALESCE_LIMIT = 16 * 1024;
/** Binary bodies up to this size travel as latin-1 text, joining the batch's single string. */
const INLINE_LIMIT = 1024;

/**
 * Header names (mapped to their lower-case form) and values already validated: most
 * responses reuse a handful of constants, so validation is usually one lookup (16-29 ns per
 * header instead of 63-100 ns for the regexes and toLowerCase, bench/fast-paths.mjs).
 * A name the connection layer owns (RESERVED) is never kept here, so finding a name also says
 * it is an ordinary one, without a second lookup: 9250 -> 8946 instructions per pipelined CLI
 * request, 7257 -> 7168 through one library handler (bench/instructions.mjs).
 */
const validNames = new Map<string, KnownName>();
const validValues = new Set<string>();
const VALIDATION_CACHE_SIZE = 512;
/** Longer values (cookies, redirects to long URLs) are checked each time rather than kept. */
const CACHED_VALUE_LENGTH = 64;

/**
 * A header name seen before: its lower-case form, and the value last set under it, which is
 * valid. Handlers mostly set a name to the same value each time (Content-Type: text/plain), so
 * a repeat is checked by one comparison instead of a second lookup: 7199 -> 7088 instructions per
 * pipelined CLI request, 6257 -> 6194 through one library handler (bench/instructions.mjs).
 */
interface KnownName {
  readonly lower: string;
  value: string;
}

/** Validates a header name not met before; returns it lower-cased. Throws TypeError on what could inject. */
function checkName(name: string): string {
  if (!isToken(name)) throw new TypeError(`Invalid header name: ${JSON.stringify(name)}`);
  return name.toLowerCase();
}

/** Validates a header value. Throws TypeError on what could inject. */
function checkValue(name: string, value: string): void {
  if (validValues.has(value)) return;
  if (!isFieldValue(value)) throw new TypeError(`Invalid value for header ${name}`);
  if (validValues.size < VALIDATION_CACHE_SIZE && value.length <= CACHED_VALUE_LENGTH) validValues.add(value);
}

function lowerCaseName(name: string): string {
  return validNames.get(name)?.lower ?? name.toLowerCase();
}

/** Response headers the connection layer owns: setting them would break framing. */
const RESERVED = new Set(['transfer-encoding', 'date', 'content-length', 'connection']);

/**
 * An HTTP response. Set status and headers, then either `end(body)` once, or stream with
 * `write()` / `send()` and finish with `end()`. Framing (Content-Length or chunked),
 * `Date` and `Connection` are added by the server.
 */
export class Response {
  status = 200;
  private headersOut = false;
  private ended = false;
  /** Set when the connection gave up on this exchange (timeout, framing error): calls do nothing. */
  private abandoned = false;
  /** Header lines as name, value, name, value…: one small array per response. */
  private readonly fields: string[] = [];
  private declaredLength = -1;
  private closeAfterResponse = false;
  private framing: BodyFraming = BodyFraming.Length;
  private written = 0;

  /** @internal Responses are made by the connection, one per exchange. */
  constructor(
    private readonly sink: ResponseSink,
    private readonly isHeadRequest: boolean,
  ) {}

  /** Sets a header, replacing any of the same name. Throws TypeError on names or values that could inject. */
  setHeader(name: string, value: string | number): this {
    const text = typeof value === 'number' ? String(value) : value;
    const key = this.acceptHeader(name, text);
    if (key === null) return this;
    const at = this.indexOf(key);
    if (at >= 0) this.fields[at + 1] = text;
    else this.fields.push(name, text);
    return this;
  }

  /** Adds a header line, keeping existing ones of the same name (e.g. Set-Cookie). */
  appendHeader(name: string, value: string): this {
    if (this.acceptHeader(name, value) !== null) this.fields.push(name, value);
    return this;
  }

  getHeader(name: string): string | undefined {
    const key = name.toLowerCase();
    if (key === 'content-length') return this.declaredLength >= 0 ? String(this.declaredLength) : undefined;
    const at = this.indexOf(key);
    return at >= 0 ? this.fields[at + 1] : undefined;
  }

  removeHeader(name: string): this {
    const key = name.toLowerCase();
    if (key === 'content-length') this.declaredLength = -1;
    for (let at = this.indexOf(key); at >= 0; at = this.indexOf(key)) this.fields.splice(at, 2);
    return this;
  }

  /** Position in `fields` of the first header whose lower-cased name is `key`, or -1. */
  private indexOf(key: string): number {
    const fields = this.fields;
    for (let i = 0; i < fields.length; i += 2) {
      const name = fields[i];
      if (name !== undefined && lowerCaseName(name) === key) return i;
    }
    return -1;
  }

  /**
   * Validates a header and handles the ones that steer framing. Returns the lower-cased
   * name to store, or null when the header was consumed here.
   */
  private acceptHeader(name: string, value: string): string | null {
    if (this.headersOut) throw new Error('Headers already sent');
    const known = validNames.get(name);
    if (known !== undefined) {
      if (value !== known.value) {
        checkValue(name, value);
        if (value.length <= CACHED_VALUE_LENGTH) known.value = value;
      }
      return known.lower;
    }
    const key = checkName(name);
    checkValue(name, value);
    if (!RESERVED.has(key)) {
      if (validNames.size < VALIDATION_CACHE_SIZE) validNames.set(name, { lower: key, value: value.length <= CACHED_VALUE_LENGTH ? value : '' });
      return key;
    }
    if (key === 'content-length') {
      if (!/^[0-9]{1,15}$/.test(value)) throw new TypeError('Content-Length must be a non-negative integer');
      this.declaredLength = Number(value);
      return null;
    }
    if (key === 'connection' && value.toLowerCase() === 'close') {
      this.closeAfterResponse = true;
      return null;
    }
    throw new TypeError(`The server sets ${name} itself`);
  }

  /** @internal Discards whatever the handler set and answers with a short text error. */
  replaceWithError(status: number, message: string): void {
    if (this.ended) return;
    this.fields.length = 0;
    this.declaredLength = -1;
    this.status = status;
    this.setHeader('Content-Type', 'text/plain; charset=utf-8');
    this.end(`${message}\n`);
  }

  /** Asks for the connection to be closed after this response. */
  closeConnection(): this {
    this.closeAfterResponse = true;
    return this;
  }

  /** @internal The connection answered or dropped this exchange itself; the handler's later calls are ignored. */
  abandon(): void {
    this.ended = true;
    this.abandoned = true;
  }

  /** Completes the response, with an optional body. */
  end(body?: Body): void {
    if (this.abandoned) return;
    if (this.ended) throw new Error('Response already ended');
    if (this.headersOut) {
      if (body !== undefined) this.write(body);
      this.finishStream();
      return;
    }
    const length = body === undefined ? 0 : typeof body === 'string' ? utf8Length(body) : body.byteLength;
    const forbidsBody = statusForbidsBody(this.status);
    let advertised = length;
    if (this.declaredLength >= 0) {
      // A HEAD response may announce the length a GET would have without carrying the body.
      if (this.isHeadRequest && body === undefined) advertised = this.declaredLength;
      else if (this.declaredLength !== length) throw new Error('Body length differs from the Content-Length set');
    }
    this.framing = forbidsBody ? BodyFraming.None : BodyFraming.Length;
    const head = this.serializeHead(advertised);
    const sendBody = body !== undefined && length > 0 && !forbidsBody && !this.isHeadRequest;
    if (!sendBody) {
      this.sink.write(head);
    } else {
      this.written = length;
      if (typeof body === 'string' && length === body.length) {
        this.sink.write(head + body); // ASCII: its UTF-8 and latin-1 bytes are the same
      } else if (typeof body !== 'string' && length <= INLINE_LIMIT) {
        this.sink.write(head + toBuffer(body).toString('latin1'));
      } else if (length <= COALESCE_LIMIT) {
        const out = Buffer.allocUnsafe(head.length + length);
        out.write(head, 0, 'latin1');
        if (typeof body === 'string') out.write(body, head.length, 'utf8');
        else out.set(body, head.length);
        this.sink.write(out);
      } else {
        this.sink.cork();
        this.sink.write(head);
        this.sink.write(typeof body === 'string' ? Buffer.from(body, 'utf8') : toBuffer(body));
        this.sink.uncork();
      }
    }
    this.ended = true;
    this.sink.responseComplete(this.closeAfterResponse);
  }

  /**
   * Writes part of a streamed body. The head goes out first, framed by the Content-Length
   * set beforehand, else chunked (HTTP/1.1) or by closing the connection (HTTP/1.0).
   * Returns false when the socket is backed up: wait for `drain()`. `onWritten`, when given,
   * is called once the socket no longer needs `chunk` (its bytes are in the kernel, or it is
   * not sent at all, as for HEAD), so that its memory may be reused; it is not called when
   * the connection is gone or the response given up.
   */
  write(chunk: Body, onWritten?: () => void): boolean {
    if (this.abandoned) return false;
    if (this.ended) throw new Error('Response already ended');
    if (!this.headersOut) this.startStream();
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : toBuffer(chunk);
    if (data.length === 0 || this.framing === BodyFraming.None || this.isHeadRequest) {
      onWritten?.();
      return !this.sink.gone;
    }
    this.written += data.length;
    if (this.framing === BodyFraming.Length && this.written > this.declaredLength) {
      throw new Error('Body is longer than the Content-Length set');
    }
    if (this.framing === BodyFraming.Chunked) {
      this.sink.cork();
      this.sink.write(chunkHeader(data.length));
      this.sink.write(data, onWritten);
      const ok = this.sink.write(CHUNK_TRAILER);
      this.sink.uncork();
      return ok;
    }
    return this.sink.write(data, onWritten);
  }

  /** Resolves when the socket can take more data (or is gone). */
  drain(): Promise<void> {
    return this.sink.waitForDrain();
  }

  /** True once the status line and headers have been handed to the socket. */
  get headersSent(): boolean {
    return this.headersOut;
  }

  /** True once the response is complete (or was given up), so nothing more can be written. */
  get finished(): boolean {
    return this.ended;
  }

  /** @internal Body bytes handed to the socket so far (never counts a HEAD response's body); reported to `onResponse`. */
  get bytesSent(): number {
    return this.written;
  }

  /** True when the client has gone away; further writes are dropped. */
  get closed(): boolean {
    return this.sink.gone;
  }

  /** Streams a whole body from `source` with backpressure, then ends the response. */
  async send(source: Readable | AsyncIterable<Body>): Promise<void> {
    try {
      for await (const chunk of source as AsyncIterable<Body>) {
        if (this.sink.gone || this.abandoned) break;
        if (!this.write(chunk)) await this.drain();
      }
    } catch (error) {
      if (!this.headersOut) throw error;
      // The head is out, so the status cannot change: cut the connection so the client sees a short body.
      this.ended = true;
      this.sink.abort(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (this.sink.gone || this.abandoned) {
      this.ended = true;
      return;
    }
    this.end();
  }

  private startStream(): void {
    const forbidsBody = statusForbidsBody(this.status);
    if (forbidsBody) this.framing = BodyFraming.None;
    else if (this.declaredLength >= 0) this.framing = BodyFraming.Length;
    else if (this.sink.peerIsHttp11) this.framing = BodyFraming.Chunked;
    else {
      this.framing = BodyFraming.Close;
      this.closeAfterResponse = true;
    }
    if (this.isHeadRequest && this.framing === BodyFraming.Chunked) this.framing = BodyFraming.None;
    this.sink.write(this.serializeHead(this.declaredLength));
  }

  private finishStream(): void {
    this.ended = true;
    if (this.framing === BodyFraming.Chunked && !this.isHeadRequest) this.sink.write(LAST_CHUNK);
    if (this.framing === BodyFraming.Length && !this.isHeadRequest && this.written !== this.declaredLength) {
      this.sink.abort(new Error('Body is shorter than the Content-Length set'));
      return;
    }
    this.sink.responseComplete(this.closeAfterResponse);
  }

  private serializeHead(contentLength: number): string {
    this.headersOut = true;
    const close = this.closeAfterResponse || this.sink.closeAfterResponse || this.framing === BodyFraming.Close;
    if (close) this.closeAfterResponse = true;
    return serializeResponseHead(
      this.status,
      this.fields,
      httpDate(),
      this.framing,
      contentLength,
      close ? 'close' : this.sink.announceKeepAlive ? 'keep-alive' : null,
    );
  }
}

/**
 * UTF-8 size of a string; short ASCII strings are measured without a call into C++. In
 * isolation on Node 20 the gain is within noise (19-30 ns against 22-35 ns for
 * Buffer.byteLength on short bodies, bench/fast-paths.mjs): keep it only while a profile of
 * `npm run bench` shows byteLength on the request path.
 */
function utf8Length(text: string): number {
  if (text.length > 64) return Buffer.byteLength(text);
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return Buffer.byteLength(text);
  return text.length;
}

function toBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
