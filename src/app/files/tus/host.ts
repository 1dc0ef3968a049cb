import { copyFile, link, open, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from '../../../index.js';
import { syncDirectory } from '../atomic-write.js';
import { conflictOrFsError, makeDirectories, type FileRoot } from '../file-write.js';
import { METADATA_DIR, tempUploadName } from '../names.js';
import { assertCreatable, assertInside, locate, parseFileName } from '../safe-path.js';
import type { TusHost } from './routes.js';
import { UploadStore } from './store.js';

/** Unfinished uploads live this long after their last PATCH (tus expiration). */
const EXPIRY_MS = 24 * 60 * 60 * 1000;
/** A PATCH refreshes its lock every few seconds while bytes flow; a minute of silence means its holder died. */
const LOCK_STALE_MS = 60_000;

/** The file server's side of tus: uploads kept in `<served dir>/.wirehttp/tus`, placed as PUT places files. */
export function fileServerTusHost(root: FileRoot, maxLength: number): TusHost {
  const dir = path.join(root.realRoot, METADATA_DIR, 'tus');
  const store = new UploadStore({ dir, expiryMs: EXPIRY_MS, lockStaleMs: LOCK_STALE_MS });
  return {
    store,
    maxLength,
    async prepare(folder, filename, exclusive) {
      if (filename.includes('/')) throw new HttpError(400, 'Invalid file name');
      const name = parseFileName([...folder, filename].join('/'), root.hidden);
      assertCreatable(root.realRoot, name, root.maxPathDepth);
      await existing(root, name.segments, exclusive);
      return name.segments;
    },
    async place(data, target, exclusive) {
      const { real, exists } = await existing(root, target, exclusive);
      const dir = path.dirname(real);
      if (!exists) {
        await makeDirectories(dir).catch((error: unknown) => {
          throw conflictOrFsError(error);
        });
        await assertInside(root.realRoot, dir);
      }
      // The data is renamed (or linked) into place: no copy, and readers see no part of it.
      // A folder on another filesystem (a mount inside the served directory) gets a copy
      // beside the target first, which is then renamed the same way.
      const source = (await sameFilesystem(data, dir)) ? data : await copyBeside(data, dir);
      try {
        await moveInto(source, real, exclusive);
      } catch (error) {
        if (source !== data) await unlink(source).catch(() => {});
        throw error;
      }
      if (source !== data) await unlink(data);
      await syncDirectory(dir);
    },
  };
}

/** Renames `source` to `target`; when `exclusive`, link() instead, which never replaces a file that appeared meanwhile (412). */
async function moveInto(source: string, target: string, exclusive: boolean): Promise<void> {
  if (!exclusive) {
    await rename(source, target).catch((error: unknown) => {
      throw conflictOrFsError(error);
    });
    return;
  }
  await link(source, target).catch((error: unknown) => {
    throw (error as NodeJS.ErrnoException).code === 'EEXIST' ? new HttpError(412, 'Precondition Failed') : conflictOrFsError(error);
  });
  await unlink(source);
}

async function sameFilesystem(file: string, dir: string): Promise<boolean> {
  const [a, b] = await Promise.all([stat(file), stat(dir)]);
  return a.dev === b.dev;
}

async function copyBeside(data: string, dir: string): Promise<string> {
  const temp = path.join(dir, tempUploadName());
  await copyFile(data, temp);
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return temp;
}

/** The target's location, refused as a PUT would be: a directory (409), not a regular file (403), or present while `exclusive` (412). */
async function existing(root: FileRoot, segments: readonly string[], exclusive: boolean): Promise<{ real: string; exists: boolean }> {
  const location = await locate(root.realRoot, segments, root.hidden);
  // A concurrent DELETE may remove the name between locating and looking at it: then it is new.
  const info = location.exists ? await stat(location.real).catch(missingAsNull) : null;
  if (info === null) return { real: location.real, exists: false };
  if (info.isDirectory()) throw new HttpError(409, 'A directory has that name');
  if (!info.isFile()) throw new HttpError(403, 'Not a regular file');
  if (exclusive) throw new HttpError(412, 'Precondition Failed');
  return location;
}

function missingAsNull(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw error;
}
