import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from '../../../index.js';

/**
 * One JSON document in the hidden metadata area (`<served dir>/.wirehttp/`), shared by every
 * process that serves the directory.
 *
 * Why on disk beside the files rather than in the primary process's memory: with --workers N
 * each worker is a process of its own, and two servers on two machines may share one directory
 * on network storage; only the directory is common to all of them, and it survives restarts.
 * The price is a stat() per read (the parsed document is reused while inode, size, mtime and
 * ctime are unchanged) and, per change, a lock file plus an fsync'ed write.
 *
 * Consistency: readers see the old or the new document, never a mix, because every write goes
 * to a temporary file that is fsync'ed and renamed over the document. Changes are
 * read-modify-write under a lock file created with O_EXCL (atomic on local filesystems and on
 * NFSv3+/SMB), so two writers never lose each other's change. A lock file older than
 * STALE_MS belongs to a writer that died (a live one holds it for one small write) and is
 * broken. Known limit: breaking it is check-then-unlink, so two waiters that both find the
 * same stale lock could, in a window of microseconds, both proceed; clocks of machines that
 * share the directory must agree to well within STALE_MS.
 */
export class MetadataFile<T> {
  private cached: { key: string; value: T } | null = null;
  private readonly lockPath: string;

  constructor(
    private readonly file: string,
    /** Turns parsed JSON (or undefined when the file does not exist) into a document. */
    private readonly decode: (json: unknown) => T,
    /**
     * The largest the stored document may grow (characters of JSON); a change past it is refused
     * with 507. Every change rewrites the whole document, and clients decide what goes in.
     */
    private readonly maxBytes = DEFAULT_MAX_BYTES,
  ) {
    this.lockPath = `${file}.lock`;
  }

  /** The current document. Callers must not modify it (use update()). */
  async read(): Promise<T> {
    const info = await stat(this.file).catch(missingAsNull);
    if (info === null) return this.decode(undefined);
    const key = [info.ino, info.size, info.mtimeMs, info.ctimeMs].join(':');
    if (this.cached?.key === key) return this.cached.value;
    const value = await this.load();
    this.cached = { key, value };
    return value;
  }

  /**
   * Runs `change` on a fresh copy of the document while holding the lock file, then stores the
   * document if `change` altered it. Returns what `change` returned. `change` runs only
   * synchronous code, so the lock is held for milliseconds.
   */
  async update<R>(change: (document: T) => R): Promise<R> {
    await this.acquire();
    try {
      const document = await this.load();
      const before = JSON.stringify(document);
      const result = change(document);
      const after = JSON.stringify(document);
      if (after.length > this.maxBytes && after.length > before.length) {
        throw new HttpError(507, `${path.basename(this.file)} would pass ${String(this.maxBytes)} bytes`);
      }
      if (after !== before) await this.store(after);
      return result;
    } finally {
      await unlink(this.lockPath).catch(() => {});
    }
  }

  private async load(): Promise<T> {
    const text = await readFile(this.file, 'utf8').catch(missingAsNull);
    if (text === null) return this.decode(undefined);
    try {
      return this.decode(JSON.parse(text));
    } catch {
      // Writes are atomic, so this is damage from outside; refuse rather than overwrite it.
      throw new HttpError(500, `Metadata file ${path.basename(this.file)} is damaged`);
    }
  }

  private async store(text: string): Promise<void> {
    const temp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file).catch(async (error: unknown) => {
      await unlink(temp).catch(() => {});
      throw error;
    });
  }

  private async acquire(): Promise<void> {
    // Not recursive: the metadata folder's parent is the served directory, and a recursive
    // mkdir reports a read-only filesystem as ENOENT, which would read as "not found".
    await mkdir(path.dirname(this.file), { mode: 0o700 }).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
    const deadline = Date.now() + WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(this.lockPath, 'wx', 0o600);
        await handle.writeFile(`${hostname()} ${String(process.pid)}\n`);
        await handle.close();
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const held = await stat(this.lockPath).catch(missingAsNull);
      if (held !== null && Date.now() - held.mtimeMs > STALE_MS) {
        await unlink(this.lockPath).catch(() => {});
        continue;
      }
      if (Date.now() > deadline) throw new HttpError(503, 'Metadata is busy; try again');
      await sleep(Math.min(50, 2 + attempt * 2) * (0.5 + Math.random()));
    }
  }
}

/** Documents are rewritten whole on each change: 8 MiB keeps a change in the milliseconds. */
const DEFAULT_MAX_BYTES = 8 * 1024 * 1024;
/** A lock file older than this belongs to a dead writer. */
const STALE_MS = 10_000;
/** How long a writer waits for the lock before giving up with 503. */
const WAIT_MS = 5_000;

function missingAsNull(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw error;
}
