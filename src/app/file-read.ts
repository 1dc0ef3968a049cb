import { constants, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { Request, Response } from '../index.js';
import {
  DYNAMIC_CODINGS,
  MIN_COMPRESS_BYTES,
  createCompressor,
  isCompressible,
  negotiateEncoding,
} from './content-coding.js';
import type { CachedFile, FileCache } from './file-cache.js';
import { contentTypeFor } from './media-type.js';
import { contentRange, multipartLayout, parseRange, type MultipartLayout } from './ranges.js';
import { entityTag, evaluatePreconditions, ifRangeHolds, lastModified } from './validators.js';

/** Opens without following a final symlink (the path is already resolved) and without blocking on FIFOs. */
export const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

const READ_CHUNK = 256 * 1024;

/** A stored compressed copy beside the file: name.zst, name.br, name.gz. */
const SIBLINGS: readonly (readonly [coding: string, suffix: string])[] = [
  ['zstd', '.zst'],
  ['br', '.br'],
  ['gzip', '.gz'],
];

/** Where a small file's bytes may be kept after this response, and since when. */
export interface CacheSlot {
  cache: FileCache;
  /** The request name the file was found under. */
  key: string;
  /** The cache's generation when the request began (see FileCache.remember). */
  generation: number;
  now: number;
}

interface Precompressed {
  handle: FileHandle;
  stats: Stats;
  coding: string;
}

/**
 * Answers GET or HEAD for a regular file: validators and conditional requests, ranges
 * (one → 206, several → multipart/byteranges, none satisfiable → 416), and content coding
 * (a precompressed sibling, else on-the-fly compression for text-like types). Every body is
 * streamed with backpressure; `handle` is always closed.
 */
export async function serveFile(
  req: Request,
  res: Response,
  name: string,
  real: string,
  handle: FileHandle,
  slot: CacheSlot,
): Promise<void> {
  let owned: FileHandle | null = handle;
  let sibling: Precompressed | null = null;
  try {
    const stats = await handle.stat();
    const type = contentTypeFor(name);
    const identity = { etag: entityTag(stats), mtimeMs: stats.mtimeMs };
    const ranges = ifRangeHolds(req, identity) ? parseRange(req.header('range'), stats.size) : null;

    let coding: string | null = null;
    if (ranges === null && isCompressible(type)) {
      const accept = req.header('accept-encoding');
      sibling = await findPrecompressed(real, stats, accept);
      coding = sibling?.coding ?? (stats.size >= MIN_COMPRESS_BYTES ? negotiateEncoding(accept, DYNAMIC_CODINGS) : null);
    }
    const etag = coding === null ? identity.etag : entityTag(sibling?.stats ?? stats, coding);

    setFileHeaders(res, type, etag, lastModified(stats));

    const precondition = evaluatePreconditions(req, { etag, mtimeMs: stats.mtimeMs });
    if (precondition !== 'proceed') {
      res.status = precondition === 'not-modified' ? 304 : 412;
      res.end();
      return;
    }
    const head = req.method === 'HEAD';

    if (ranges !== null && ranges.length === 0) {
      res.status = 416;
      res.setHeader('Content-Range', `bytes */${stats.size}`);
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end('Range Not Satisfiable\n');
      return;
    }
    if (ranges !== null && ranges.length === 1) {
      const [range] = ranges as [{ start: number; end: number }];
      res.status = 206;
      res.setHeader('Content-Range', contentRange(range, stats.size));
      res.setHeader('Content-Length', range.end - range.start + 1);
      if (head) return res.end();
      owned = null;
      return await res.send(handle.createReadStream({ start: range.start, end: range.end, highWaterMark: READ_CHUNK }));
    }
    if (ranges !== null) {
      const layout = multipartLayout(ranges, stats.size, type);
      res.status = 206;
      res.setHeader('Content-Type', layout.contentType);
      res.setHeader('Content-Length', layout.length);
      if (head) return res.end();
      owned = null;
      return await res.send(multipartBody(handle, layout));
    }
    if (coding !== null) res.setHeader('Content-Encoding', coding);
    if (sibling !== null) {
      res.setHeader('Content-Length', sibling.stats.size);
      if (head || sibling.stats.size === 0) return res.end();
      const stream = sibling.handle.createReadStream({ highWaterMark: READ_CHUNK });
      sibling = null;
      return await res.send(stream);
    }
    if (coding !== null) {
      if (head) {
        res.write(''); // same head as GET: chunked, no Content-Length
        return res.end();
      }
      owned = null;
      const compressor = createCompressor(coding);
      pipeline(handle.createReadStream({ highWaterMark: READ_CHUNK }), compressor, () => {});
      return await res.send(compressor);
    }
    if (slot.cache.accepts(stats.size) && !head) {
      const cached = slot.cache.revalidate(slot.key, stats, slot.now) ?? (await readIntoCache(handle, stats, type, etag, slot));
      return sendBytes(res, cached.body);
    }
    res.setHeader('Content-Length', stats.size);
    if (head || stats.size === 0) return res.end();
    owned = null;
    await res.send(handle.createReadStream({ highWaterMark: READ_CHUNK }));
  } finally {
    await owned?.close();
    await sibling?.handle.close();
  }
}

/** Largest piece of an in-memory body written at once; see `sendBytes`. */
const MEMORY_CHUNK = 64 * 1024;

/**
 * Sends an in-memory body. A large one goes out in pieces, one per turn of the event loop
 * (or after the socket drains): every connection then gets its piece in turn. Written in one
 * go, the first clients' megabytes filled the socket buffers and the others waited — with 64
 * clients fetching 1 MiB, the 99th percentile latency was 390 ms instead of 35 ms.
 */
export async function sendBytes(res: Response, body: Buffer): Promise<void> {
  if (body.length <= MEMORY_CHUNK) return res.end(body);
  res.setHeader('Content-Length', body.length);
  for (let at = 0; at < body.length && !res.closed; at += MEMORY_CHUNK) {
    if (!res.write(body.subarray(at, at + MEMORY_CHUNK))) await res.drain();
    else await nextTurn();
  }
  if (!res.closed) res.end();
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The headers every representation of a file carries, whether served from disk or from the cache. */
export function setFileHeaders(res: Response, type: string, etag: string, modified: string): void {
  res.setHeader('Content-Type', type);
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', modified);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Vary', 'Accept-Encoding');
  res.setHeader('X-Content-Type-Options', 'nosniff');
}

/**
 * Reads a small file whole, in one call where the OS allows, and keeps it for later requests.
 * A file that changes size while being read is served as read but not kept.
 */
async function readIntoCache(
  handle: FileHandle,
  stats: Stats,
  type: string,
  etag: string,
  slot: CacheSlot,
): Promise<CachedFile> {
  const body = Buffer.allocUnsafe(stats.size);
  let filled = 0;
  while (filled < body.length) {
    const { bytesRead } = await handle.read(body, filled, body.length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const entry: CachedFile = {
    body: filled === body.length ? body : body.subarray(0, filled),
    contentType: type,
    etag,
    lastModified: lastModified(stats),
    mtimeMs: stats.mtimeMs,
    ino: stats.ino,
    size: filled,
    checkedAt: slot.now,
  };
  if (filled === stats.size) slot.cache.remember(slot.key, entry, slot.generation);
  return entry;
}

/** The parts of a multipart/byteranges body, each range read from the same open file. */
async function* multipartBody(handle: FileHandle, layout: MultipartLayout): AsyncGenerator<string | Buffer> {
  try {
    for (const part of layout.parts) {
      yield part.head;
      const { start, end } = part.range;
      yield* handle.createReadStream({ start, end, autoClose: false, highWaterMark: READ_CHUNK }) as AsyncIterable<Buffer>;
    }
    yield layout.tail;
  } finally {
    await handle.close();
  }
}

/**
 * A compressed copy stored beside the file that the client accepts. It must be a regular file
 * (not a link) at least as new as the original, so a stale copy is never served.
 */
async function findPrecompressed(real: string, stats: Stats, accept: string | undefined): Promise<Precompressed | null> {
  if (accept === undefined || accept === '') return null;
  const available: string[] = [];
  for (const [coding, suffix] of SIBLINGS) {
    const info = await lstat(real + suffix).catch(() => null);
    if (info !== null && info.isFile() && info.mtimeMs >= stats.mtimeMs) available.push(coding);
  }
  const coding = negotiateEncoding(accept, available);
  if (coding === null) return null;
  const suffix = SIBLINGS.find(([name]) => name === coding)![1];
  const handle = await open(real + suffix, OPEN_FLAGS).catch(() => null);
  if (handle === null) return null;
  const siblingStats = await handle.stat();
  if (!siblingStats.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, stats: siblingStats, coding };
}
