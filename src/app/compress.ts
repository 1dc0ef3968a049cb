import type { Transform } from 'node:stream';
import type { Body, Handler, Request, Response } from '../index.js';
import { DYNAMIC_CODINGS, MIN_COMPRESS_BYTES, createCompressor, isCompressible, negotiateEncoding } from './files/index.js';

export interface CompressOptions {
  /** Bodies given whole to `end()` that are smaller than this many bytes go as they are (default 1024). */
  threshold?: number;
  /** Codings to offer, most preferred first (default: zstd when Node has it, then br, gzip). */
  codings?: readonly string[];
}

/** Compressed output is held back up to this size, so a small body still leaves with a Content-Length. */
const HOLD_BYTES = 64 * 1024;

/** Statuses whose body is not the representation, or must not change: never compressed. */
const KEEP_STATUSES = new Set([204, 206, 304]);

/**
 * Gives `handler`'s responses the Accept-Encoding negotiation of the built-in routes: a
 * text-like Content-Type (text/*, JSON, JS, XML, SVG...) is compressed with the best coding
 * the client accepts, while streaming; `Vary: Accept-Encoding` is added to every response
 * of such a type; a strong ETag becomes weak on a compressed one. Responses that already have
 * a Content-Encoding, partial (206) and bodiless ones, server-sent events and bodies under
 * `threshold` are left alone. HEAD gets the head GET would get.
 */
export function compress(handler: Handler, options: CompressOptions = {}): Handler {
  const threshold = options.threshold ?? MIN_COMPRESS_BYTES;
  const codings = options.codings ?? DYNAMIC_CODINGS;
  for (const coding of codings) {
    if (!DYNAMIC_CODINGS.includes(coding)) throw new TypeError(`compress: unsupported coding ${JSON.stringify(coding)}`);
  }
  return (req, res) => {
    watch(req, res, negotiateEncoding(req.header('accept-encoding'), codings), threshold);
    return handler(req, res);
  };
}

/**
 * Takes over `end`, `write` and `drain` of this one response until its head is decided: then
 * either gives them back (nothing to compress) or keeps them, feeding the body through a
 * compressor. `send()` goes through them too.
 */
function watch(req: Request, res: Response, coding: string | null, threshold: number): void {
  const end = res.end.bind(res);
  const write = res.write.bind(res);
  const drain = res.drain.bind(res);
  const giveBack = (): void => {
    // The instance's own methods go; the class's are found again.
    delete (res as Partial<Response>).end;
    delete (res as Partial<Response>).write;
    delete (res as Partial<Response>).drain;
  };
  res.end = (body?: Body): void => {
    const head = req.method === 'HEAD';
    // A HEAD handler that only declares the length it would send is judged by that length.
    const length = body !== undefined ? byteLength(body) : head ? declaredLength(res) : 0;
    const encoder = decide(res, coding, length >= threshold);
    giveBack();
    if (encoder === null) {
      end(body);
    } else if (head && body === undefined) {
      // HEAD without a body: the compressed length is unknown, so the head goes out as a
      // stream's would (no Content-Length), still naming the coding a GET would get.
      encoder.destroy();
      write(EMPTY);
      end();
    } else {
      pipeThrough(encoder, write, end, drain).end(body);
    }
  };
  // `onWritten` is passed on: a caller that reuses its buffers (the file server's reads) gets
  // them back once the socket, or the compressor, no longer needs them.
  res.write = (chunk: Body, onWritten?: () => void): boolean => {
    const encoder = decide(res, coding, true);
    giveBack();
    if (encoder === null) return res.write(chunk, onWritten);
    const input = pipeThrough(encoder, write, end, drain);
    res.write = (next: Body, nextWritten?: () => void): boolean => input.write(next, nextWritten);
    res.end = (last?: Body): void => {
      input.end(last);
    };
    res.drain = (): Promise<void> => (input.writableNeedDrain ? new Promise((resolve) => input.once('drain', resolve)) : drain());
    return input.write(chunk, onWritten);
  };
}

/** Sets the headers for what was decided; returns the compressor, or null to send as is. */
function decide(res: Response, coding: string | null, bigEnough: boolean): Transform | null {
  if (res.headersSent || KEEP_STATUSES.has(res.status) || res.status < 200) return null;
  if (res.getHeader('content-encoding') !== undefined) return null;
  const type = res.getHeader('content-type');
  if (type === undefined || !isCompressible(type) || type.startsWith('text/event-stream')) return null;
  addVary(res);
  // HEAD is compressed like GET (the server sends none of the body), so its Content-Encoding,
  // ETag and Content-Length are the ones GET would have; HEAD is rare enough for the CPU.
  if (coding === null || !bigEnough) return null;
  res.setHeader('Content-Encoding', coding);
  res.removeHeader('content-length');
  const etag = res.getHeader('etag');
  if (etag?.startsWith('"') === true) res.setHeader('ETag', `W/${etag}`);
  return createCompressor(coding);
}

const EMPTY = Buffer.alloc(0);

function byteLength(body: Body): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
}

/** The Content-Length the handler set, or 0. */
function declaredLength(res: Response): number {
  const value = res.getHeader('content-length');
  return value === undefined ? 0 : Number(value);
}

function addVary(res: Response): void {
  const vary = res.getHeader('vary');
  if (vary === undefined) res.setHeader('Vary', 'Accept-Encoding');
  else if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) res.setHeader('Vary', `${vary}, Accept-Encoding`);
}

/**
 * Connects the compressor's output to the response: held back while small (a whole small
 * body then leaves with a Content-Length), streamed once larger, pausing while the socket
 * is backed up.
 */
function pipeThrough(
  encoder: Transform,
  write: (chunk: Body) => boolean,
  end: (body?: Body) => void,
  drain: () => Promise<void>,
): Transform {
  let held: Buffer[] | null = [];
  let heldBytes = 0;
  encoder.on('data', (data: Buffer) => {
    if (held !== null) {
      held.push(data);
      heldBytes += data.length;
      if (heldBytes < HOLD_BYTES) return;
      const parts = held;
      held = null;
      for (const part of parts) write(part);
      return;
    }
    if (!write(data)) {
      encoder.pause();
      void drain().then(() => encoder.resume());
    }
  });
  encoder.once('end', () => {
    if (held === null) end();
    else end(Buffer.concat(held, heldBytes));
  });
  // zlib fails only on its own misuse; the response cannot be completed as framed.
  encoder.once('error', () => {
    end();
  });
  return encoder;
}
