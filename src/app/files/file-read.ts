import { constants, type Stats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import type { Request, Response } from '../../index.js';
import { createCompressor, negotiateEncoding } from './content-coding.js';
import { cachedFile, type CachedFile, type FileCache } from './file-cache.js';
import { READ_CHUNK, writeFileRange } from './file-body.js';
import { decideFileResponse, isPlainRequest, mayEncode, type FileFacts, type FileResponse } from './file-response.js';
import { contentTypeFor } from './media-type.js';
import type { MultipartLayout } from './ranges.js';
import { entityTag, lastModified } from './validators.js';

/** Opens without following a final symlink (the path is already resolved) and without blocking on FIFOs. */
export const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

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
 * Answers GET or HEAD for a regular file from disk, as `decideFileResponse` decides. Every
 * body is streamed with backpressure, except a small file's whole body, which is read into
 * the cache and sent from memory, compressed once per coding when one was negotiated;
 * `handle` is always closed.
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
    const facts: FileFacts = {
      type: contentTypeFor(name),
      size: stats.size,
      etag: entityTag(stats),
      mtimeMs: stats.mtimeMs,
      lastModified: lastModified(stats),
    };
    // Whether the disk was seen to hold no stored copy beside the file, for the cache entry.
    let noStoredCopy = false;
    if (mayEncode(req, facts)) {
      const stored = await storedCodings(real, stats);
      noStoredCopy = stored.length === 0;
      sibling = await openPrecompressed(real, negotiateEncoding(req.header('accept-encoding'), stored));
    }
    const stored = sibling === null ? null : { coding: sibling.coding, size: sibling.stats.size, etag: entityTag(sibling.stats) };
    const decision = decideFileResponse(req, facts, stored);
    setHead(res, decision);
    const head = req.method === 'HEAD';
    const body = decision.body;
    switch (body.kind) {
      case 'none':
        res.end();
        return;
      case 'text':
        res.end(body.text);
        return;
      case 'range':
        if (head) {
          res.end();
          return;
        }
        await writeFileRange(res, handle, body.range.start, body.range.end);
        endStreamed(res);
        return;
      case 'multipart':
        if (head) {
          res.end();
          return;
        }
        await writeMultipart(res, handle, body.layout);
        return;
      case 'stored': {
        if (sibling === null || head || body.copy.size === 0) {
          res.end();
          return;
        }
        await writeFileRange(res, sibling.handle, 0, body.copy.size - 1);
        endStreamed(res);
        return;
      }
      case 'compressed': {
        if (head) {
          endCodedHead(res);
          return;
        }
        if (slot.cache.accepts(stats.size)) {
          const cached = await cachedEntry(handle, stats, facts, slot, noStoredCopy);
          await sendBytes(res, await slot.cache.codedBody(slot.key, cached, body.coding));
          return;
        }
        owned = null;
        const compressor = createCompressor(body.coding);
        pipeline(handle.createReadStream({ highWaterMark: READ_CHUNK }), compressor, () => {});
        await res.send(compressor);
        return;
      }
      case 'whole':
        if (slot.cache.accepts(stats.size) && !head) {
          const cached = await cachedEntry(handle, stats, facts, slot, noStoredCopy);
          await sendBytes(res, cached.body);
          return;
        }
        res.setHeader('Content-Length', stats.size);
        if (head || stats.size === 0) {
          res.end();
          return;
        }
        await writeFileRange(res, handle, 0, stats.size - 1);
        endStreamed(res);
    }
  } finally {
    await owned?.close();
    await sibling?.handle.close();
  }
}

/**
 * Answers GET or HEAD from memory when the decision needs nothing but the file's bytes (the
 * whole file, no body at all, or a coded body compressed earlier): the same decision the disk
 * path makes. Returns false, having sent nothing, when the response needs the disk (ranges, a
 * coding not compressed yet, a stored copy that may exist beside the file); true when it
 * answered (a promise while a large body is still going out).
 *
 * The plain request (no range, precondition or coding) is answered from the entry's own head,
 * built when the file was cached, without deciding anything. In a CPU profile of the CLI
 * answering 300k keep-alive GETs of a cached empty file (instructions.mjs' fake socket, --child),
 * the file handler's share of the connection's samples fell from 33 % to 21 %: deciding the
 * response no longer shows, setting the seven headers is most of what is left.
 */
export function sendCached(req: Request, res: Response, file: CachedFile, cache: FileCache, now: number): boolean | Promise<void> {
  if (isPlainRequest(req, file.compressible)) {
    res.status = 200;
    setHeaders(res, file.headers);
    return sendBytes(res, file.body) ?? true;
  }
  // With no stored copy beside the file, the disk path would decide on the file alone too.
  // Deciding here spares even an 800-byte script requested with Accept-Encoding the disk: 1.0-1.2
  // -> 0.56-0.58 ms of CPU per request (the same loop as FileCache's numbers, 500 requests).
  if (mayEncode(req, file) && !cache.noStoredCopy(file, now)) return false;
  const decision = decideFileResponse(req, file, null);
  const body = decision.body;
  switch (body.kind) {
    case 'whole':
      setHead(res, decision);
      return sendBytes(res, file.body) ?? true;
    case 'none':
      setHead(res, decision);
      res.end();
      return true;
    case 'compressed': {
      if (req.method === 'HEAD') {
        setHead(res, decision);
        endCodedHead(res);
        return true;
      }
      const coded = file.coded.get(body.coding);
      if (coded === undefined) return false;
      setHead(res, decision);
      return sendBytes(res, coded) ?? true;
    }
    default:
      return false;
  }
}

function setHead(res: Response, decision: FileResponse): void {
  res.status = decision.status;
  setHeaders(res, decision.headers);
}

function setHeaders(res: Response, headers: Readonly<FileResponse['headers']>): void {
  for (const [name, value] of headers) {
    // Vary is appended: a layer in front (CORS) may already vary the response on Origin.
    if (name === 'Vary') res.appendHeader(name, String(value));
    else res.setHeader(name, value);
  }
}

/** Ends the head of a compressed response to HEAD as a streamed one's (chunked), without compressing to learn the length. */
function endCodedHead(res: Response): void {
  res.write('');
  res.end();
}

/**
 * Largest piece of an in-memory body written at once; see `sendBytes`. 256 KiB rather than
 * 64 KiB: a 1 MiB body takes 5 writes and 6 event-loop turns instead of 17 and 20, and 19 %
 * fewer instructions (1.54M -> 1.24M per request; bench/instructions-io.mjs --scenario file-1m,
 * with --strace for the system calls).
 */
const MEMORY_CHUNK = 256 * 1024;

/**
 * Sends an in-memory body. A large one goes out in pieces, one per turn of the event loop
 * (or after the socket drains): every connection then gets its piece in turn. Written in one
 * go, the first clients' megabytes filled the socket buffers and the others waited — with 64
 * clients fetching 1 MiB, the 99th percentile latency was 390 ms instead of 35 ms.
 */
function sendBytes(res: Response, body: Buffer): Promise<void> | undefined {
  if (body.length > MEMORY_CHUNK) return sendInPieces(res, body);
  // At once, no promise: a small cache hit then completes within the handler's call.
  res.end(body);
  return undefined;
}

async function sendInPieces(res: Response, body: Buffer): Promise<void> {
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

/**
 * The cache entry of the version `stats` describe, read now if the cache has none, marked as
 * having no stored compressed copy beside it when the disk was just seen to hold none.
 */
async function cachedEntry(handle: FileHandle, stats: Stats, facts: FileFacts, slot: CacheSlot, noStoredCopy: boolean): Promise<CachedFile> {
  const entry = slot.cache.revalidate(slot.key, stats, slot.now) ?? (await readIntoCache(handle, stats, facts, slot));
  if (noStoredCopy) entry.noStoredCopyAt = slot.now;
  return entry;
}

/**
 * Reads a small file whole, in one call where the OS allows, and keeps it for later requests.
 * A file that changes size while being read is served as read but not kept.
 */
async function readIntoCache(handle: FileHandle, stats: Stats, facts: FileFacts, slot: CacheSlot): Promise<CachedFile> {
  const body = Buffer.allocUnsafe(stats.size);
  let filled = 0;
  while (filled < body.length) {
    const { bytesRead } = await handle.read(body, filled, body.length - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  const entry = cachedFile(facts, filled === body.length ? body : body.subarray(0, filled), stats.ino, slot.now);
  if (filled === stats.size) slot.cache.remember(slot.key, entry, slot.generation);
  return entry;
}

/** Ends a streamed body, unless the connection closed or gave up the response meanwhile. */
function endStreamed(res: Response): void {
  if (!res.closed && !res.finished) res.end();
}

/** Sends a multipart/byteranges body, each range read from the same open file. */
async function writeMultipart(res: Response, handle: FileHandle, layout: MultipartLayout): Promise<void> {
  for (const part of layout.parts) {
    if (res.closed || res.finished) return;
    if (!res.write(part.head)) await res.drain();
    await writeFileRange(res, handle, part.range.start, part.range.end);
  }
  if (res.closed || res.finished) return;
  res.write(layout.tail);
  res.end();
}

/**
 * The codings of the compressed copies stored beside the file. Only a regular file (not a
 * link) at least as new as the original counts, so a stale copy is never served.
 */
async function storedCodings(real: string, stats: Stats): Promise<string[]> {
  const available: string[] = [];
  for (const [coding, suffix] of SIBLINGS) {
    const info = await lstat(real + suffix).catch(() => null);
    if (info !== null && info.isFile() && info.mtimeMs >= stats.mtimeMs) available.push(coding);
  }
  return available;
}

/** The stored copy in `coding` (chosen from storedCodings), opened; null when there is none. */
async function openPrecompressed(real: string, coding: string | null): Promise<Precompressed | null> {
  const sibling = SIBLINGS.find(([name]) => name === coding);
  if (sibling === undefined) return null;
  const [chosen, suffix] = sibling;
  const handle = await open(real + suffix, OPEN_FLAGS).catch(() => null);
  if (handle === null) return null;
  const siblingStats = await handle.stat();
  if (!siblingStats.isFile()) {
    await handle.close();
    return null;
  }
  return { handle, stats: siblingStats, coding: chosen };
}
