import { createHash, randomBytes, type Hash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from '../../../index.js';
import { CHECKSUM_MISMATCH, type Checksum } from './headers.js';
import { LockFile } from './lock.js';

/** What the store keeps about an upload (its info file); the offset is the data file's size. */
export interface UploadInfo {
  /** Segments below the served directory of the file the upload becomes. */
  target: string[];
  /** Declared length; null while the client defers it. */
  length: number | null;
  /** Upload-Metadata as the client sent it; HEAD returns it. */
  metadata: string;
  /** Never replace an existing file (If-None-Match: * at creation). */
  exclusive: boolean;
  /** Milliseconds since the epoch; refreshed by every PATCH. */
  expiresAt: number;
  /** 'complete' once the file is in place: the data is gone, HEAD still answers until expiry. */
  state: 'receiving' | 'complete';
}

export type Lookup = { state: 'missing' } | { state: 'expired' } | { state: 'found'; info: UploadInfo; offset: number };

export interface PatchRequest {
  offset: number;
  /** A deferred length declared by this PATCH. */
  length: number | null;
  source: AsyncIterable<Buffer>;
  /** Body bytes announced (Content-Length), checked against the length before anything is written. */
  announced: number | undefined;
  checksum: Checksum | null;
  /** Largest upload length accepted (the server's body size limit). */
  maxLength: number;
  /** Moves the whole data file into place; runs under the upload's lock. */
  complete(data: string, info: UploadInfo): Promise<void>;
}

export interface StoreOptions {
  /** The store's folder, `<served dir>/.wirehttp/tus`; created when first needed. */
  dir: string;
  /** How long an upload lives after its creation or last PATCH. */
  expiryMs: number;
  /** A lock not refreshed for this long was left by a holder that died. */
  lockStaleMs: number;
}

const ID = /^[0-9a-f]{32}$/;
const INFO = 'info.json';
const DATA = 'data';
const LOCK = 'lock';
/** Expired uploads are looked for at most this often (and whenever one is found by chance). */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Partial uploads on disk, one folder per upload: `info.json` (replaced atomically), `data`
 * (appended to) and, while a PATCH runs, `lock` (see LockFile). Everything is in files, so
 * every worker process sees the same uploads, and they survive a restart. Only one request
 * at a time changes an upload: a second gets 423, so bytes are never interleaved.
 */
export class UploadStore {
  private nextSweep = 0;

  constructor(private readonly options: StoreOptions) {}

  /** Creates an upload; resolves its id. A new folder appears whole (built aside, then renamed). */
  async create(init: Omit<UploadInfo, 'expiresAt' | 'state'>): Promise<string> {
    await this.sweepNow(Date.now());
    const id = randomBytes(16).toString('hex');
    const building = path.join(this.options.dir, `${id}.creating`);
    await mkdir(building, { recursive: true });
    const data = await open(path.join(building, DATA), 'wx', 0o644);
    await data.close();
    await writeInfo(building, { ...init, expiresAt: Date.now() + this.options.expiryMs, state: 'receiving' });
    await rename(building, this.folder(id));
    return id;
  }

  async lookup(id: string): Promise<Lookup> {
    const now = Date.now();
    void this.sweepNow(now).catch(() => {});
    if (!ID.test(id)) return { state: 'missing' };
    const info = await readInfo(this.folder(id));
    if (info === null) return { state: 'missing' };
    if (info.expiresAt <= now) {
      await this.remove(id).catch(() => {});
      return { state: 'expired' };
    }
    if (info.state === 'complete') return { state: 'found', info, offset: info.length ?? 0 };
    const data = await stat(path.join(this.folder(id), DATA)).catch(() => null);
    return data === null ? { state: 'missing' } : { state: 'found', info, offset: data.size };
  }

  /**
   * Appends a PATCH body at `offset` under the upload's lock. Without a checksum, the bytes
   * that arrived before a broken connection are kept (the client resumes after them); with
   * one, the chunk is kept only when it matches. Resolves the new offset and info.
   */
  async patch(id: string, request: PatchRequest): Promise<{ offset: number; info: UploadInfo }> {
    await this.found(id); // 404 or 410 before any lock is tried
    const lock = await LockFile.acquire(path.join(this.folder(id), LOCK), this.options.lockStaleMs);
    try {
      // Read again under the lock: another request may have changed it since.
      const current = await this.found(id);
      const info = declareLength(current.info, current.offset, request);
      if (request.offset !== current.offset) throw new HttpError(409, `Upload-Offset mismatch: the upload is at ${String(current.offset)}`);
      if (info.state === 'complete') {
        if (request.announced !== undefined && request.announced > 0) throw new HttpError(413, 'The upload is complete');
        return { offset: current.offset, info };
      }
      const room = info.length === null ? request.maxLength - current.offset : info.length - current.offset;
      if (request.announced !== undefined && request.announced > room) throw new HttpError(413, 'Body goes beyond Upload-Length');
      const data = path.join(this.folder(id), DATA);
      const offset = current.offset + (await append(data, current.offset, room, request, lock));
      const next: UploadInfo = { ...info, expiresAt: Date.now() + this.options.expiryMs };
      if (next.length === offset) {
        await request.complete(data, next);
        next.state = 'complete';
      }
      await writeInfo(this.folder(id), next);
      return { offset, info: next };
    } finally {
      await lock.release();
    }
  }

  /** Removes an unfinished (or finished) upload: termination. */
  async terminate(id: string): Promise<void> {
    await this.found(id);
    await this.remove(id);
  }

  /** Removes expired uploads and abandoned half-created folders; resolves how many. */
  async sweep(): Promise<number> {
    this.nextSweep = Date.now() + SWEEP_INTERVAL_MS;
    const names = await readdir(this.options.dir).catch(() => []);
    let removed = 0;
    const now = Date.now();
    for (const name of names) {
      const folder = path.join(this.options.dir, name);
      if (ID.test(name)) {
        const info = await readInfo(folder);
        if (info !== null && info.expiresAt > now) continue;
        if (await this.remove(name).then(() => true, () => false)) removed++;
      } else if (name.endsWith('.removing')) {
        await rm(folder, { recursive: true, force: true });
      } else if (name.endsWith('.creating')) {
        const since = await stat(folder).then((s) => now - s.mtimeMs, () => 0);
        if (since > this.options.expiryMs) {
          await rm(folder, { recursive: true, force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  private async sweepNow(now: number): Promise<void> {
    if (now >= this.nextSweep) await this.sweep();
  }

  private async found(id: string): Promise<{ info: UploadInfo; offset: number }> {
    const lookup = await this.lookup(id);
    if (lookup.state === 'missing') throw new HttpError(404, 'No such upload');
    if (lookup.state === 'expired') throw new HttpError(410, 'The upload has expired');
    return lookup;
  }

  private async remove(id: string): Promise<void> {
    const lock = await LockFile.acquire(path.join(this.folder(id), LOCK), this.options.lockStaleMs);
    await this.removeLocked(id, lock);
  }

  /** Renames the folder away first, so no one finds a half-removed upload. */
  private async removeLocked(id: string, lock: LockFile): Promise<void> {
    const doomed = path.join(this.options.dir, `${id}.${randomBytes(4).toString('hex')}.removing`);
    try {
      await rename(this.folder(id), doomed);
    } catch (error) {
      await lock.release();
      throw error;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  private folder(id: string): string {
    return path.join(this.options.dir, id);
  }
}

/** The info with a deferred length declared by this PATCH, checked against the offset and limit. */
function declareLength(info: UploadInfo, offset: number, request: PatchRequest): UploadInfo {
  if (request.length === null) return info;
  if (info.length !== null) {
    if (info.length !== request.length) throw new HttpError(400, 'Upload-Length cannot change');
    return info;
  }
  if (request.length > request.maxLength) throw new HttpError(413, 'Upload-Length exceeds the size limit');
  if (request.length < offset) throw new HttpError(400, 'Upload-Length is below the current offset');
  return { ...info, length: request.length };
}

/**
 * Writes the body to `data` from `offset` on, at most `room` bytes (more is 413 and undone),
 * checking the checksum at the end (460 and undone on mismatch). Resolves the bytes kept.
 */
async function append(data: string, offset: number, room: number, request: PatchRequest, lock: LockFile): Promise<number> {
  const handle = await open(data, 'r+');
  const hash: Hash | null = request.checksum === null ? null : createHash(request.checksum.algorithm);
  let written = 0;
  let owned = true;
  try {
    for await (const chunk of request.source) {
      if (written + chunk.length > room) throw new HttpError(413, 'Body goes beyond Upload-Length');
      // Checked before each write: once another request has broken our lock, the file is theirs.
      owned = await lock.touch();
      if (!owned) throw new HttpError(409, 'The upload was taken over by another request');
      hash?.update(chunk);
      await writeFully(handle, chunk, offset + written);
      written += chunk.length;
    }
    if (hash !== null && request.checksum !== null && !hash.digest().equals(request.checksum.digest)) {
      throw new HttpError(CHECKSUM_MISMATCH, 'Checksum Mismatch');
    }
    await handle.sync();
    return written;
  } catch (error) {
    if (!owned) throw error;
    // Unverified or excess bytes are undone; plain bytes that arrived before a cut are kept.
    const keep = hash === null && !(error instanceof HttpError) ? written : 0;
    await handle.truncate(offset + keep).catch(() => {});
    await handle.sync().catch(() => {});
    throw error;
  } finally {
    await handle.close();
  }
}

async function writeFully(handle: FileHandle, chunk: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, position + done);
    done += bytesWritten;
  }
}

async function readInfo(folder: string): Promise<UploadInfo | null> {
  try {
    return JSON.parse(await readFile(path.join(folder, INFO), 'utf8')) as UploadInfo;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || error instanceof SyntaxError) return null;
    throw error;
  }
}

/** Replaces the info file atomically (temp file, fsync, rename). */
async function writeInfo(folder: string, info: UploadInfo): Promise<void> {
  const temp = path.join(folder, `${INFO}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(info));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path.join(folder, INFO));
}
