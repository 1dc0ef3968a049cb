import { randomBytes } from 'node:crypto';
import { link, open, rename, stat, unlink, utimes } from 'node:fs/promises';
import { HttpError } from '../../../index.js';

/**
 * A lock held by creating a file with O_EXCL: atomic across processes (--workers) and across
 * machines sharing the directory over NFSv3+ and SMB, where in-process locks and flock() are
 * not. The holder refreshes the file's mtime while it works; a lock not refreshed for
 * `staleMs` belongs to a holder that died, and the next comer takes it over.
 */
export class LockFile {
  private lastTouch = Date.now();

  private constructor(
    private readonly file: string,
    private readonly staleMs: number,
    /** The lock file's inode: tells our lock from one a later holder created after breaking it. */
    private readonly ino: number,
  ) {}

  /** Takes the lock, or throws HttpError 423 while someone else holds it. */
  static async acquire(file: string, staleMs: number): Promise<LockFile> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(file, 'wx', 0o600);
        try {
          return new LockFile(file, staleMs, (await handle.stat()).ino);
        } finally {
          await handle.close();
        }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      if (!(await breakStale(file, staleMs))) break;
    }
    throw new HttpError(423, 'The upload is busy with another request');
  }

  /**
   * Marks the lock alive and says whether it is still ours; cheap to call often (at most one
   * stat and utimes per quarter of the bound). False when the lock was broken meanwhile (its
   * holder stalled beyond the bound, e.g. under a body timeout longer than it): the caller must
   * stop writing.
   */
  async touch(): Promise<boolean> {
    const now = Date.now();
    if (now - this.lastTouch < this.staleMs / 4) return true;
    this.lastTouch = now;
    if (!(await this.held())) return false;
    await utimes(this.file, now / 1000, now / 1000).catch(() => {});
    return true;
  }

  /** Removes the lock file, unless it is no longer ours. */
  async release(): Promise<void> {
    if (await this.held()) await unlink(this.file).catch(() => {});
  }

  private async held(): Promise<boolean> {
    const info = await stat(this.file).catch(() => null);
    return info?.ino === this.ino;
  }
}

/**
 * Removes `file` if it is stale; true when the caller should try again. The stale file is first
 * renamed aside and its identity compared, so a lock that a third party broke and re-took between
 * our stat and our rename is put back instead of deleted.
 */
async function breakStale(file: string, staleMs: number): Promise<boolean> {
  const seen = await stat(file).catch(() => null);
  if (seen === null) return true; // released meanwhile
  if (Date.now() - seen.mtimeMs < staleMs) return false;
  const aside = `${file}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return true; // someone else moved it first
  }
  const moved = await stat(aside);
  if (moved.ino !== seen.ino || moved.dev !== seen.dev) await link(aside, file).catch(() => {});
  await unlink(aside).catch(() => {});
  return true;
}
