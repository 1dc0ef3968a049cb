import { randomBytes } from 'node:crypto';
import { open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

const TEMP_PREFIX = '.wirehttp-upload-';

/**
 * Streams `source` into `target` so that readers see either the old file or the whole new
 * one: the bytes go to a temporary file beside the target (same filesystem), are fsync'ed,
 * and only then renamed over it. On any failure the temporary file is removed.
 */
export async function writeFileAtomic(target: string, source: Readable): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', 0o644);
  try {
    for await (const chunk of source) await handle.write(chunk as Buffer);
    await handle.sync();
    await handle.close();
    await rename(temp, target);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncDirectory(dir);
}

/** Makes a rename durable: the directory entry itself must reach the disk. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** True for the names of temporary upload files, which are never listed or served. */
export function isTempUploadName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) && name.endsWith('.tmp');
}

/** Removes temporary upload files a crashed or killed server left behind, anywhere under `root`. */
export async function removeStaleUploads(root: string): Promise<number> {
  let removed = 0;
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (entry.isFile() && isTempUploadName(entry.name)) {
      await unlink(path.join(entry.parentPath, entry.name)).catch(() => {});
      removed++;
    }
  }
  return removed;
}
