import { Readable } from 'node:stream';
import type { Request as WireRequest } from '../../server/request.js';

/**
 * Methods the WHATWG Request constructor refuses; such a request becomes a GET whose
 * `method` still reads as sent.
 */
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The parser already enforced `maxBodyBytes`; reading the whole body needs no second limit. */
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

const decoder = new TextDecoder();

/**
 * A standard `Request` as far as a fetch handler can tell (`instanceof Request` holds), built
 * for the common case: `url`, `method` and `headers` read the parsed head, and `text()`,
 * `json()` and `arrayBuffer()` read the body straight from the connection. A real `Request`
 * (with a `ReadableStream` body) is built only when something else is touched — `body`,
 * `formData()`, `clone()`, `cache`... — because building one costs several microseconds per
 * request and most handlers never need it.
 */
export class LightRequest {
  private real: globalThis.Request | null = null;
  private headerObject: Headers | null = null;
  private controller: AbortController | null = null;
  private abandonReason: Error | null = null;
  private consumed = false;

  constructor(
    private readonly wire: WireRequest,
    readonly url: string,
  ) {
    wire.onAbandon = (reason) => {
      this.abandon(reason);
    };
  }

  get method(): string {
    return this.wire.method;
  }

  get headers(): Headers {
    if (this.real !== null) return this.real.headers;
    if (this.headerObject === null) {
      const headers = new Headers();
      const fields = this.wire.fields;
      for (let i = 0; i + 1 < fields.length; i += 2) headers.append(fields[i] ?? '', fields[i + 1] ?? '');
      this.headerObject = headers;
    }
    return this.headerObject;
  }

  /** Aborts when the client goes away or the server gives up on the exchange. */
  get signal(): AbortSignal {
    if (this.controller === null) {
      this.controller = new AbortController();
      if (this.abandonReason !== null) this.controller.abort(this.abandonReason);
    }
    return this.controller.signal;
  }

  get body(): ReadableStream<Uint8Array> | null {
    return this.toRequest().body;
  }

  get bodyUsed(): boolean {
    return this.consumed || (this.real?.bodyUsed ?? false);
  }

  text(): Promise<string> {
    if (this.real !== null) return this.real.text();
    return this.readBody().then((bytes) => decoder.decode(bytes));
  }

  json(): Promise<unknown> {
    return this.text().then((text) => JSON.parse(text) as unknown);
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    if (this.real !== null) return this.real.arrayBuffer();
    return this.readBody().then((bytes) => {
      const copy = new ArrayBuffer(bytes.byteLength);
      new Uint8Array(copy).set(bytes);
      return copy;
    });
  }

  bytes(): Promise<Uint8Array> {
    return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }

  blob(): Promise<Blob> {
    if (this.real !== null) return this.real.blob();
    const type = this.wire.header('content-type') ?? '';
    return this.arrayBuffer().then((buffer) => new Blob([buffer], { type }));
  }

  formData(): Promise<FormData> {
    return this.toRequest().formData();
  }

  clone(): globalThis.Request {
    return this.toRequest().clone();
  }

  get cache(): RequestCache {
    return this.toRequest().cache;
  }
  get credentials(): RequestCredentials {
    return this.toRequest().credentials;
  }
  get destination(): RequestDestination {
    return this.toRequest().destination;
  }
  get duplex(): 'half' {
    return 'half';
  }
  get integrity(): string {
    return this.toRequest().integrity;
  }
  get keepalive(): boolean {
    return this.toRequest().keepalive;
  }
  get mode(): RequestMode {
    return this.toRequest().mode;
  }
  get redirect(): RequestRedirect {
    return this.toRequest().redirect;
  }
  get referrer(): string {
    return this.toRequest().referrer;
  }
  get referrerPolicy(): ReferrerPolicy {
    return this.toRequest().referrerPolicy;
  }

  private readBody(): Promise<Buffer> {
    if (this.consumed) return Promise.reject(new TypeError('Body is unusable: Body has already been read'));
    this.consumed = true;
    return this.wire.bytes(NO_LIMIT);
  }

  private abandon(reason: Error): void {
    this.abandonReason = reason;
    if (this.controller !== null && !this.controller.signal.aborted) this.controller.abort(reason);
  }

  /** The real Request, built on first need; its body streams from the connection with backpressure. */
  private toRequest(): globalThis.Request {
    if (this.real !== null) return this.real;
    const method = this.wire.method;
    const forbidden = FORBIDDEN_METHODS.has(method);
    const hasBody = this.wire.hasBody && !this.consumed && !forbidden && method !== 'GET' && method !== 'HEAD';
    const init: RequestInit & { duplex?: 'half' } = {
      method: forbidden ? 'GET' : method,
      headers: this.headers,
      signal: this.signal,
    };
    if (hasBody) {
      init.body = Readable.toWeb(this.wire.body) as ReadableStream<Uint8Array>;
      init.duplex = 'half';
    }
    const real = new Request(this.url, init);
    if (forbidden) Object.defineProperty(real, 'method', { value: method });
    this.real = real;
    return real;
  }
}

// `instanceof Request` holds, and anything not defined above is looked up on Request.prototype.
Object.setPrototypeOf(LightRequest.prototype, Request.prototype);
