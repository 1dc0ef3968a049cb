import type { Response as WireResponse } from '../../server/response.js';
import { LightResponse, type HeadersGiven, type WholeBody } from './light-response.js';
import { platformBody } from './platform-body.js';

/** Response headers the connection layer writes itself (framing, date, persistence). */
const SERVER_OWNED = new Set(['transfer-encoding', 'date', 'connection', 'keep-alive', 'content-length']);

/**
 * The Content-Type of a body that names none, and what undici's Response gives a string body:
 * as @hono/node-server sends them, so moving an app between the two changes no header.
 */
const DEFAULT_TYPE = 'text/plain; charset=UTF-8';
const UNDICI_TEXT_TYPE = 'text/plain;charset=UTF-8';

/** How many body chunks are taken without waiting before the response counts as streamed. */
const EAGER_READS = 3;

/**
 * Microtask turns a read may take and still count as ready: a string, bytes, Blob or
 * URLSearchParams body settles in 1, a FormData body (encoded by an async generator) in 6
 * (measured on Node 20); a stream fed by timers or I/O never does.
 */
const READY_TURNS = 8;

type Reader = ReadableStreamDefaultReader<Uint8Array>;

/** What copying a Response's headers found out about framing. */
interface Copied {
  /** The Content-Length the handler set, if any: it frames a streamed body. */
  declared: string | null;
  typed: boolean;
}

/** Copies one header onto the wire response; the server's own are left to it. */
function copyHeader(res: WireResponse, copied: Copied, name: string, value: string): void {
  const key = name.toLowerCase();
  if (key === 'set-cookie') res.appendHeader(key, value);
  else if (key === 'content-type') {
    copied.typed = true;
    res.setHeader(key, value === UNDICI_TEXT_TYPE ? DEFAULT_TYPE : value);
  } else if (!SERVER_OWNED.has(key)) res.setHeader(key, value);
  else if (key === 'content-length') copied.declared = value;
  else if (key === 'connection' && value.toLowerCase() === 'close') res.closeConnection();
}

/**
 * Writes a WHATWG `Response` to the connection. A body known whole — a LightResponse still
 * holding its string or bytes, or a platform Response built from a string or bytes that no
 * one has read — is written straight away. A stream body (a LightResponse's own, or the
 * platform Response's) goes to `sendStream`.
 */
export function sendResponse(response: globalThis.Response, res: WireResponse, isHead: boolean): Promise<void> | undefined {
  const light = LightResponse.held(response);
  if (light !== null) {
    res.status = light.init?.status ?? 200;
    const copied = copyInit(res, light.init?.headers);
    const body = light.body;
    if (body === null || typeof body === 'string' || body instanceof Uint8Array) {
      sendWhole(res, copied, body, isHead);
      return undefined;
    }
    return sendStream(res, copied, body, isHead);
  }
  const body = platformBody(response);
  res.status = response.status;
  const copied = copyHeaders(res, response.headers);
  if (body !== undefined) {
    sendWhole(res, copied, body, isHead);
    return undefined;
  }
  const stream = response.body;
  if (stream === null) {
    sendWhole(res, copied, null, isHead);
    return undefined;
  }
  return sendStream(res, copied, stream, isHead);
}

/** Copies headers given as a Response's init. */
function copyInit(res: WireResponse, headers: HeadersGiven | undefined): Copied {
  const copied: Copied = { declared: null, typed: false };
  if (headers instanceof Headers) return copyHeaders(res, headers);
  if (Array.isArray(headers)) {
    for (const [name, value] of headers) copyHeader(res, copied, name, value);
  } else if (headers !== undefined) {
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined) copyHeader(res, copied, name, value);
    }
  }
  return copied;
}

/** Copies a Headers object: its iteration gives each Set-Cookie as an entry of its own. */
function copyHeaders(res: WireResponse, headers: Headers): Copied {
  const copied: Copied = { declared: null, typed: false };
  for (const [name, value] of headers) copyHeader(res, copied, name, value);
  return copied;
}

/** Ends the response with a body known whole. */
function sendWhole(res: WireResponse, copied: Copied, body: WholeBody, isHead: boolean): void {
  if (body === null) {
    // Only a HEAD answer may announce a length without carrying the body.
    if (copied.declared !== null && isHead) res.setHeader('content-length', copied.declared);
    res.end();
    return;
  }
  if (!copied.typed) res.setHeader('content-type', DEFAULT_TYPE);
  if (copied.declared !== null) res.setHeader('content-length', copied.declared);
  res.end(body);
}

/**
 * Sends a stream body. With a length the handler declared (Hono's serveStatic does, for a
 * file), the first read is awaited: when that chunk is the whole body, head and body leave
 * in one write at once, and the stream is read to its end afterwards without holding the
 * response (see `finishReading`). Before, the head left alone, the chunk after it, and the
 * response waited for the stream's end. Otherwise a body complete after a few reads that
 * resolve at once (a Blob, form data — anything not produced over time) leaves with a
 * Content-Length in one write; any other body streams with backpressure, chunked unless
 * the handler set Content-Length.
 */
async function sendStream(res: WireResponse, copied: Copied, body: ReadableStream<Uint8Array>, isHead: boolean): Promise<void> {
  const { declared } = copied;
  if (!copied.typed) res.setHeader('content-type', DEFAULT_TYPE);
  if (declared !== null) res.setHeader('content-length', declared);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  if (declared !== null && !isHead) {
    const first = await reader.read();
    if (first.done) {
      res.end();
      return;
    }
    if (first.value instanceof Uint8Array && first.value.byteLength === Number(declared)) {
      res.end(first.value);
      finishReading(reader);
      return;
    }
    chunks.push(first.value);
  }
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  for (let i = chunks.length; i < EAGER_READS && pending === null; i++) {
    const read = reader.read();
    const result = await settledSoon(read);
    if (result === null) pending = read;
    else if (result.done) {
      res.end(join(chunks));
      return;
    } else chunks.push(result.value);
  }
  if (isHead) {
    await reader.cancel();
    res.end();
    return;
  }
  const next = pending ?? reader.read();
  // This read waits, unawaited, while `send` writes the chunks read before it, for as long as
  // a slow client takes: a stream that fails meanwhile (one that errors when the request's
  // signal aborts, as a proxied body does once the client is gone) rejects it with no one
  // listening, and an unhandled rejection ends the process. `send` still sees the failure
  // when it reaches this read. (A `pending` read is listened to already, by `settledSoon`.)
  next.catch(ignore);
  await res.send(remaining(chunks, next, reader));
}

/**
 * Reads a stream whose declared length has been sent in full to its end, so its producer
 * finishes as usual (a file stream closes its descriptor on the end). More bytes than
 * declared cannot be sent: the stream is cancelled. An error this late has nothing left
 * to spoil: the response is complete.
 */
function finishReading(reader: Reader): void {
  reader.read().then((rest) => {
    if (!rest.done) reader.cancel().catch(ignore);
  }, ignore);
}

function ignore(): void {}

/** The read's result if it settles within READY_TURNS microtask turns, else null. */
function settledSoon<T>(read: Promise<T>): Promise<T | null> {
  let later: Promise<null> = Promise.resolve(null);
  for (let i = 1; i < READY_TURNS; i++) later = later.then(() => null);
  return Promise.race([read, later]);
}

/**
 * The rest of a body for `res.send`: the chunks already read, the read in flight, then the
 * reader's own reads, whose results already have an iterator result's shape — no generator
 * and no promise of ours per chunk. `return` (the client went away, a write failed) stops
 * the producer.
 */
function remaining(chunks: Uint8Array[], next: Promise<ReadableStreamReadResult<Uint8Array>>, reader: Reader): AsyncIterable<Uint8Array> {
  let index = 0;
  let inFlight: Promise<ReadableStreamReadResult<Uint8Array>> | null = next;
  const iterator: AsyncIterator<Uint8Array, undefined> = {
    next: () => {
      const chunk = chunks[index];
      if (chunk !== undefined) {
        index++;
        return Promise.resolve({ value: chunk, done: false });
      }
      const read = inFlight ?? reader.read();
      inFlight = null;
      return read as Promise<IteratorResult<Uint8Array, undefined>>;
    },
    return: () => reader.cancel().then(finished, finished),
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

function finished(): IteratorReturnResult<undefined> {
  return { value: undefined, done: true };
}

function join(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  return Buffer.concat(chunks);
}
