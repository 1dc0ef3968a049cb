import type { Stats } from 'node:fs';
import { compressWhole, isCompressible } from './content-coding.js';
import { plainHeaders, type FileFacts, type FileResponse } from './file-response.js';

/** One file's bytes and the facts its responses are decided from, as read from disk. */
export interface CachedFile extends FileFacts {
  body: Buffer;
  /** Identity of the version on disk: a different inode, size or mtime is a different file. */
  ino: number;
  /** When the name was last resolved and checked against the disk (Date.now()). */
  checkedAt: number;
  /** Whether the type may be sent with a content coding (isCompressible), decided once. */
  readonly compressible: boolean;
  /** The head of the plain 200 response (see isPlainRequest), built once: most hits send only this. */
  readonly headers: Readonly<FileResponse['headers']>;
  /** `body` in each content coding compressed so far (coding → bytes); counted in the cache's total. */
  readonly coded: Map<string, Buffer>;
  /** Compressions of `body` under way, shared by the requests that arrive meanwhile. */
  readonly compressing: Map<string, Promise<Buffer>>;
  /**
   * When the disk last showed no stored compressed copy beside the file (name.br, ...; see
   * storedCodings in file-read.ts), or -Infinity. A request that may be answered with a content coding is
   * answered from memory only while this is as fresh as `checkedAt` must be.
   */
  noStoredCopyAt: number;
}

/** An entry for `body`, the bytes read of the version `facts` and `ino` describe, checked at `checkedAt`. */
export function cachedFile(facts: FileFacts, body: Buffer, ino: number, checkedAt: number): CachedFile {
  return {
    type: facts.type,
    size: body.length,
    etag: facts.etag,
    mtimeMs: facts.mtimeMs,
    lastModified: facts.lastModified,
    body,
    ino,
    checkedAt,
    compressible: isCompressible(facts.type),
    headers: plainHeaders(facts),
    coded: new Map(),
    compressing: new Map(),
    noStoredCopyAt: -Infinity,
  };
}

export interface FileCacheLimits {
  /** Largest file kept in memory. */
  maxFileBytes: number;
  /** Most bytes kept in memory in all; the least recently used files go first. */
  maxTotalBytes: number;
  /** How long a cached file is served without checking the disk again. */
  freshMs: number;
}

export const DEFAULT_FILE_CACHE_LIMITS: FileCacheLimits = {
  maxFileBytes: 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  freshMs: 1000,
};

/**
 * Keeps the bytes of small files in memory, keyed by request name, so a hot file costs no
 * path resolution, open, stat or read. An entry is served for `freshMs` after it was last
 * checked; after that the request takes the full path again (resolving the name, so changed
 * symlinks are noticed) and the bytes are reused only if inode, size and mtime still match.
 * So changes made by other programs show within `freshMs`; writes and deletes through the
 * server clear the cache at once.
 *
 * An entry also keeps its body in the content codings asked for, each compressed once from the
 * entry's own bytes (so it is always of the version the entry holds) and dropped with it.
 * Browsers ask for a coding on every request: the CLI serving a 237 KiB JavaScript file to 200
 * curl requests with `Accept-Encoding: gzip, deflate, br` spent 5.5-6.3 ms of CPU per request
 * compressing it again each time, and spends 0.6-0.7 ms with the coded body kept, as much as
 * without the header (process CPU from /proc/PID/stat, before and after in turn).
 */
export class FileCache {
  private readonly entries = new Map<string, CachedFile>();
  private totalBytes = 0;
  /** Bumped by every clear, so a read that began before a write cannot store stale bytes. */
  private generationCount = 0;

  constructor(readonly limits: FileCacheLimits = DEFAULT_FILE_CACHE_LIMITS) {}

  get generation(): number {
    return this.generationCount;
  }

  /** The entry for `name` if it was checked recently enough to be served as it is. */
  fresh(name: string, now: number): CachedFile | undefined {
    const entry = this.entries.get(name);
    if (entry === undefined || now - entry.checkedAt >= this.limits.freshMs) return undefined;
    return entry;
  }

  /** The entry for `name` if `stats` describe the same version of the file; marks it checked. */
  revalidate(name: string, stats: Stats, now: number): CachedFile | undefined {
    const entry = this.entries.get(name);
    if (entry === undefined) return undefined;
    if (entry.ino !== stats.ino || entry.size !== stats.size || entry.mtimeMs !== stats.mtimeMs) {
      this.remove(name, entry);
      return undefined;
    }
    entry.checkedAt = now;
    // Re-insert so iteration order stays least recently used first.
    this.entries.delete(name);
    this.entries.set(name, entry);
    return entry;
  }

  /** True when the disk showed no stored compressed copy beside `entry`'s file less than `freshMs` ago. */
  noStoredCopy(entry: CachedFile, now: number): boolean {
    return now - entry.noStoredCopyAt < this.limits.freshMs;
  }

  /**
   * `entry`'s body in `coding`: kept from an earlier request, or compressed off the main
   * thread, once for all the requests that ask meanwhile. The result is kept only if `entry`
   * is still the one cached under `name`; an entry evicted, replaced, or cleared by a write
   * meanwhile keeps nothing more.
   */
  codedBody(name: string, entry: CachedFile, coding: string): Buffer | Promise<Buffer> {
    const kept = entry.coded.get(coding) ?? entry.compressing.get(coding);
    if (kept !== undefined) return kept;
    const job = compressWhole(coding, entry.body).finally(() => entry.compressing.delete(coding));
    entry.compressing.set(coding, job);
    void job.then((body) => {
      if (this.entries.get(name) !== entry) return;
      entry.coded.set(coding, body);
      this.totalBytes += body.length;
      this.evictOverflow();
    }, () => {});
    return job;
  }

  /** True when a file of `size` bytes may be kept. */
  accepts(size: number): boolean {
    return size <= this.limits.maxFileBytes && size <= this.limits.maxTotalBytes;
  }

  /** Keeps `entry` unless the cache was cleared since `generation` was read. */
  remember(name: string, entry: CachedFile, generation: number): void {
    if (generation !== this.generationCount || !this.accepts(entry.size)) return;
    const old = this.entries.get(name);
    if (old !== undefined) this.remove(name, old);
    this.entries.set(name, entry);
    this.totalBytes += entry.size;
    this.evictOverflow();
  }

  /** Forgets everything: called after any write or delete through the server. */
  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
    this.generationCount++;
  }

  /** Drops the least recently used entries until the total fits. */
  private evictOverflow(): void {
    for (const [oldest, victim] of this.entries) {
      if (this.totalBytes <= this.limits.maxTotalBytes) break;
      this.remove(oldest, victim);
    }
  }

  private remove(name: string, entry: CachedFile): void {
    this.entries.delete(name);
    this.totalBytes -= entry.size;
    for (const body of entry.coded.values()) this.totalBytes -= body.length;
  }
}
