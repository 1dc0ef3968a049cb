import { Readable } from 'node:stream';
import type { RequestHead } from '../protocol/index.js';
import { HttpError } from '../protocol/http-error.js';

/** @internal What a Request needs from its connection to stream its body. */
export interface BodyController {
  /** The consumer wants (more) body: resume reading, send 100 Continue if still owed. */
  wantBody(): void;
  readonly remoteAddress: string;
}

/** A readable request body; reading pulls from the socket, pausing it when the consumer is slow. */
class RequestBody extends Readable {
  constructor(private readonly controller: BodyController) {
    super({ highWaterMark: 64 * 1024 });
  }

  override _read(): void {
    this.controller.wantBody();
  }
}

/** Thrown by `bytes()` and `text()` past their limit; uncaught, it answers 413. */
export class BodyTooLargeError extends HttpError {
  constructor(limit: number) {
    super(413, `Request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** An HTTP request as seen by a handler. Headers are read lazily from the parsed head. */
export class Request {
  /** Route parameters, percent-decoded (filled in by the router). */
  params: Record<string, string> = {};
  private bodyStream: RequestBody | null = null;
  private bodyEnded = false;
  /** Why the body will never complete, when that happened before anyone asked for it. */
  private bodyAbort: Error | null = null;
  private headerRecord: Record<string, string> | null = null;
  /**
   * @internal Called once if the exchange is given up before it completes (client gone,
   * timeout, framing error): how a fetch handler's `signal` learns of it without a listener
   * on the socket per request.
   */
  onAbandon: ((reason: Error) => void) | null = null;

  /** @internal Requests are made by the connection, one per exchange. */
  constructor(
    private readonly head: RequestHead,
    private readonly controller: BodyController,
  ) {}

  /** Address of the peer (the TCP client, not a client behind a proxy). */
  get remoteAddress(): string {
    return this.controller.remoteAddress;
  }

  get method(): string {
    return this.head.method;
  }
  /** The request-target exactly as received. */
  get target(): string {
    return this.head.target;
  }
  /** The path of the target, still percent-encoded. */
  get path(): string {
    return this.head.path;
  }
  /** The query string without "?", still percent-encoded ("" when absent). */
  get query(): string {
    return this.head.query;
  }
  get httpVersion(): '1.1' | '1.0' {
    return this.head.versionMinor === 1 ? '1.1' : '1.0';
  }
  /** True when the request carries a body (Content-Length > 0 or chunked). */
  get hasBody(): boolean {
    return this.head.hasBody;
  }
  /** Body length announced by Content-Length, or undefined when chunked or absent. */
  get contentLength(): number | undefined {
    return this.head.contentLength >= 0 ? this.head.contentLength : undefined;
  }
  /** True when the client asks to switch protocols: HTTP/1.1, an Upgrade field, and Connection naming it. */
  get upgrade(): boolean {
    return this.head.upgrade;
  }

  /** A header's value (name in any case); repeated fields are joined with ", ". */
  header(name: string): string | undefined {
    return this.head.get(name);
  }

  /** @internal The header fields as received: name, value, name, value… (names lower-case). */
  get fields(): readonly string[] {
    return this.head.fields;
  }

  /** All headers as a record keyed by lower-case name. */
  get headers(): Readonly<Record<string, string>> {
    if (this.headerRecord === null) {
      const record: Record<string, string> = Object.create(null) as Record<string, string>;
      // fields alternate name, value, name, value...
      let name: string | null = null;
      for (const text of this.head.fields) {
        if (name === null) {
          name = text;
          continue;
        }
        const prior = record[name];
        record[name] = prior === undefined ? text : `${prior}, ${text}`;
        name = null;
      }
      this.headerRecord = record;
    }
    return this.headerRecord;
  }

  /** The body as a stream of Buffers (empty when there is none). Reading it applies backpressure. */
  get body(): Readable {
    if (this.bodyStream === null) {
      this.bodyStream = new RequestBody(this.controller);
      // A body lost before it was asked for must fail, not read as complete and empty.
      if (this.bodyAbort !== null) failBody(this.bodyStream, this.bodyAbort);
      else if (this.bodyEnded || !this.head.hasBody) this.bodyStream.push(null);
    }
    return this.bodyStream;
  }

  /** Reads the whole body into memory, refusing more than `limit` bytes. */
  async bytes(limit = 1024 * 1024): Promise<Buffer> {
    const parts: Buffer[] = [];
    let size = 0;
    for await (const part of this.body) {
      size += (part as Buffer).length;
      if (size > limit) {
        this.body.destroy();
        throw new BodyTooLargeError(limit);
      }
      parts.push(part as Buffer);
    }
    // A body that arrived in one piece is returned as is rather than copied.
    const [first] = parts;
    return parts.length === 1 && first !== undefined ? first : Buffer.concat(parts);
  }

  /** Reads the whole body as UTF-8 text, refusing more than `limit` bytes. */
  async text(limit?: number): Promise<string> {
    return (await this.bytes(limit)).toString('utf8');
  }

  /** @internal Delivers body bytes; returns false when the consumer wants no more for now. */
  pushBody(chunk: Buffer): boolean {
    return this.body.push(chunk);
  }

  /** @internal The body is complete. */
  endBody(): void {
    this.bodyEnded = true;
    if (this.bodyStream !== null) this.bodyStream.push(null);
  }

  /** @internal The body will never complete (connection lost or framing error). */
  abortBody(reason: Error): void {
    this.abandon(reason);
    if (this.bodyEnded) return;
    this.bodyEnded = true;
    if (this.bodyStream !== null) failBody(this.bodyStream, reason);
    else if (this.head.hasBody) this.bodyAbort = reason;
  }

  /** @internal The client closed its side while the response was still being made. */
  peerEnded(): void {
    this.abandon(new Error('Client closed the connection'));
  }

  private abandon(reason: Error): void {
    const listener = this.onAbandon;
    if (listener === null) return;
    this.onAbandon = null;
    listener(reason);
  }
}

/**
 * Ends a body with an error without crashing the process when no one listens yet (the
 * handler may not have started reading): a later read still rejects with `reason`.
 */
function failBody(body: Readable, reason: Error): void {
  body.on('error', ignore);
  body.destroy(reason);
}

function ignore(): void {}
