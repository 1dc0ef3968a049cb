/** The platform's Response, kept before `overrideGlobalObjects` replaces the global. */
export const NativeResponse = globalThis.Response;

/** A body the light path sends as it is: known whole at construction. */
export type WholeBody = string | Uint8Array | null;

/** What a LightResponse holds: a whole body, or a stream `serve()` reads itself. */
export type HeldBody = WholeBody | ReadableStream<Uint8Array>;

/** Node's mark of a stream that has been read from or cancelled. */
const DISTURBED = Symbol.for('nodejs.stream.disturbed');

/**
 * True for a stream no one has locked, read from or cancelled. Node's mark is read
 * directly: undici's `bodyUsed` reads the same through brand checks and two calls. On a
 * platform without the mark, never true (callers then take their general path).
 */
export function untouched(stream: ReadableStream<unknown>): boolean {
  return !stream.locked && (stream as unknown as Record<symbol, unknown>)[DISTURBED] === false;
}

/** Headers as a fetch handler may give them to the constructor. */
export type HeadersGiven = NonNullable<ResponseInit['headers']>;

/**
 * A `Response` that keeps what it was built from, installed as the global `Response` only
 * when `serve()` is given `overrideGlobalObjects: true`. Frameworks build one Response per
 * request (Hono's `c.json()` and `c.text()` call `new Response(body, init)`); the platform's
 * constructor wraps even a string body in a ReadableStream, which with reading it back cost
 * about half the CPU of a small Hono request in a profile (`--cpu-prof`, wrk on /json/:id).
 * This one holds the string or bytes, or a ReadableStream (a file from Hono's serveStatic),
 * and the init, and `serve()` writes or reads them directly; a real Response is built only
 * when something else is asked of it (`body`, `headers`, `text()`...), and then answers for it.
 */
export class LightResponse {
  readonly #body: HeldBody;
  readonly #init: ResponseInit | undefined;
  #real: globalThis.Response | null = null;

  constructor(body?: BodyInit | null, init?: ResponseInit) {
    this.#init = init;
    if (body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array || (body instanceof ReadableStream && untouched(body))) {
      this.#body = body ?? null;
    } else {
      // Other bodies, and a stream locked or read, which the platform's constructor refuses.
      this.#body = null;
      this.#real = new NativeResponse(body, init);
    }
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof NativeResponse;
  }

  /** The body and init when nothing has made a real Response of this one yet, else null. */
  static held(response: globalThis.Response): { body: HeldBody; init: ResponseInit | undefined } | null {
    if (!(#real in response) || response.#real !== null) return null;
    return { body: response.#body, init: response.#init };
  }

  get status(): number {
    return this.#real === null ? (this.#init?.status ?? 200) : this.#real.status;
  }
  get ok(): boolean {
    const status = this.status;
    return status >= 200 && status < 300;
  }
  get headers(): Headers {
    return this.toResponse().headers;
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.toResponse().body;
  }
  get bodyUsed(): boolean {
    return this.toResponse().bodyUsed;
  }
  get redirected(): boolean {
    return this.toResponse().redirected;
  }
  get statusText(): string {
    return this.toResponse().statusText;
  }
  get type(): ResponseType {
    return this.toResponse().type;
  }
  get url(): string {
    return this.toResponse().url;
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.toResponse().arrayBuffer();
  }
  blob(): Promise<Blob> {
    return this.toResponse().blob();
  }
  clone(): globalThis.Response {
    return this.toResponse().clone();
  }
  formData(): Promise<FormData> {
    return this.toResponse().formData();
  }
  json(): Promise<unknown> {
    return this.toResponse().json() as Promise<unknown>;
  }
  text(): Promise<string> {
    return this.toResponse().text();
  }

  private toResponse(): globalThis.Response {
    this.#real ??= new NativeResponse(this.#body as BodyInit | null, this.#init);
    return this.#real;
  }
}

// Static methods (Response.json, .redirect, .error) and instanceof come from the platform's.
Object.setPrototypeOf(LightResponse, NativeResponse);
Object.setPrototypeOf(LightResponse.prototype, NativeResponse.prototype);

/** Makes `LightResponse` the global Response (once; see serve's `overrideGlobalObjects`). */
export function installLightResponse(): void {
  if (globalThis.Response === (LightResponse as unknown as typeof globalThis.Response)) return;
  Object.defineProperty(globalThis, 'Response', { value: LightResponse, writable: true, configurable: true });
}
