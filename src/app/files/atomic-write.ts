import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { isTempUploadName, tempUploadName } from './names.js';

/** Most upload bytes buffered while the disk catches up. */
const WRITE_BATCH = 1024 * 1024;

/**
 * Streams `source` into `target` so that readers see either the old file or the whole new
 * one: the bytes go to a temporary file beside the target (same filesystem), are fsync'ed,
 * and only then renamed over it. On any failure the temporary file is removed.
 */
export async function writeFileAtomic(target: string, source: Readable): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, tempUploadName());
  const handle = await open(temp, 'wx', 0o644);
  try {
    // Chunks that arrive while a write is in flight are written together (writev), so a
    // large upload costs a few system calls rather than one per socket read.
    await pipeline(source, fileSink(handle));
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

/** A writable that appends to `handle`, gathering the chunks that queue up into one writev. */
function fileSink(handle: FileHandle): Writable {
  return new Writable({
    highWaterMark: WRITE_BATCH,
    writev(chunks, callback) {
      writeAll(
        handle,
        chunks.map((entry) => entry.chunk as Buffer),
      ).then(() => callback(), callback);
    },
  });
}

async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  const pending = buffers;
  while (pending.length > 0) {
    let { bytesWritten } = await handle.writev(pending);
    // A short write is rare on regular files, but possible: continue where it stopped.
    while (pending.length > 0 && bytesWritten >= pending[0]!.length) bytesWritten -= pending.shift()!.length;
    if (bytesWritten > 0) pending[0] = pending[0]!.subarray(bytesWritten);
  }
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
