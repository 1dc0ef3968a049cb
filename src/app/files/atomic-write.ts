import { unlinkSync, type Stats } from 'node:fs';
import { open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { copyToFile } from './file-sink.js';
import { isTempUploadName, tempUploadName } from './names.js';

/**
 * An upload in progress refreshes its temporary file's modification time this often, even
 * when no byte arrives, so another process (or machine) sharing the directory can tell it
 * is alive.
 */
const HEARTBEAT_MS = 30_000;

/**
 * A temporary upload file untouched for this long is abandoned (its writer crashed or was
 * killed). Thirty heartbeats: far beyond a stall or a clock difference between machines.
 */
export const ABANDONED_AFTER_MS = 15 * 60_000;

/** This process's temporary files still being written, removed on the way out if cut off. */
const inFlight = new Set<string>();

/**
 * Streams `source` into `target` so that readers see either the old file or the whole new
 * one: the bytes go to a temporary file beside the target (same filesystem), are fsync'ed,
 * and only then renamed over it. On any failure the temporary file is removed. Resolves with
 * the stored file's stats (a rename keeps inode, size and mtime: what its entity tag is made
 * of), so the caller needs no stat of the name, which a later writer may already have replaced.
 */
export async function writeFileAtomic(target: string, source: Readable): Promise<Stats> {
  const staged = await stageFile(path.dirname(target), source);
  try {
    await staged.commit(target);
  } catch (error) {
    await staged.discard();
    throw error;
  }
  return staged.stats;
}

/** Bytes written and fsync'ed to a temporary file, not yet visible under any name. */
export interface StagedFile {
  /** The file's stats once written and fsync'ed (`size`: bytes in it). */
  stats: Stats;
  /** Renames it to `target` (same filesystem as the folder it was staged in) and makes that durable. */
  commit(target: string): Promise<void>;
  /** Removes it; never fails. */
  discard(): Promise<void>;
}

/**
 * Streams `source` into a fresh temporary file in `dir`. Several staged files can be committed
 * together once all of them are complete (a form with many files stores all or nothing); until
 * then each keeps its heartbeat and stays in this process's uploads in flight.
 * On failure the temporary file is removed and the error rethrown.
 */
export async function stageFile(dir: string, source: Readable): Promise<StagedFile> {
  const staging = new Staging(path.join(dir, tempUploadName()));
  const handle = await open(staging.temp, 'wx', 0o644);
  staging.begin();
  try {
    await copyToFile(source, handle);
    await handle.sync();
    staging.stats = await handle.stat();
    await handle.close();
  } catch (error) {
    await handle.close().catch(ignore);
    await staging.discard();
    throw error;
  }
  return staging;
}

/**
 * A temporary file being written or staged. A class, not closures made per upload, so that the
 * optimized code of its steps outlives a full collection (see FileSink in file-sink.ts).
 */
class Staging implements StagedFile {
  stats!: Stats;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(readonly temp: string) {}

  /** The file exists: it is in flight and keeps its modification time fresh. */
  begin(): void {
    inFlight.add(this.temp);
    this.heartbeat = setInterval(touch, HEARTBEAT_MS, this.temp);
    this.heartbeat.unref();
  }

  async commit(target: string): Promise<void> {
    await rename(this.temp, target);
    this.settle();
    await syncDirectory(path.dirname(target));
  }

  async discard(): Promise<void> {
    this.settle();
    await unlink(this.temp).catch(ignore);
  }

  private settle(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    inFlight.delete(this.temp);
  }
}

function touch(file: string): void {
  const now = new Date();
  utimes(file, now, now).catch(ignore);
}

function ignore(): void {}

/** Makes a rename durable: the directory entry itself must reach the disk. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes the temporary files of uploads this process is still receiving. For an exit that
 * cuts uploads off: synchronous, so it completes even when the process ends right after.
 */
export function discardUploadsInFlight(): void {
  for (const temp of inFlight) {
    try {
      unlinkSync(temp);
    } catch {
      // Already renamed into place or removed by its own failure path.
    }
  }
  inFlight.clear();
}

/**
 * Removes, anywhere under `root`, the temporary upload files that are provably abandoned:
 * untouched for ABANDONED_AFTER_MS. A live upload's file is never that old (see HEARTBEAT_MS),
 * so instances started later, or running on other machines, leave each other's uploads alone.
 */
export async function removeStaleUploads(root: string): Promise<number> {
  const now = Date.now();
  let removed = 0;
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile() || !isTempUploadName(entry.name)) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file).catch(() => null);
    if (info === null || now - info.mtimeMs < ABANDONED_AFTER_MS) continue;
    if (await unlink(file).then(() => true, () => false)) removed++;
  }
  return removed;
}
