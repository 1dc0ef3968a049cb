import type { Stats } from 'node:fs';
import { lstat, mkdir, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { HttpError, type BasicAuth, type Request, type Response } from '../../index.js';
import { writeFileAtomic } from './atomic-write.js';
import { BodyIncomplete } from './file-sink.js';
import { fsError } from './fs-errors.js';
import { isFormUpload, storeForm } from './form-upload.js';
import { nameUrl } from './mount.js';
import { assertCreatable, assertInside, locate, type FileName } from './safe-path.js';
import { entityTag, evaluatePreconditions } from './validators.js';

/** Where writes go: the served directory's real path, the hidden-files switch, how deep writes may nest. */
export interface FileRoot {
  realRoot: string;
  hidden: boolean;
  /** Most path segments a PUT or POST may name (folders created on the way included). */
  maxPathDepth: number;
  /** The access rules, for what listings and the page show; null: everything allowed. */
  access: BasicAuth | null;
  /** The mount answers writes (serveFiles' `uploads`); off, the listing page offers none. */
  writes: boolean;
}

/**
 * PUT or POST of a file: the body is stored atomically (readers see the old or the whole new
 * file, never a part). Missing parent directories are created. PUT answers 201 when it created
 * the file and 204 when it replaced one; POST answers 201 as it always has. If-Match,
 * If-None-Match and If-Unmodified-Since are honoured (412). Concurrent writes to one name: the
 * last to finish wins. A POST of an HTML form (multipart/form-data) stores the form's files
 * instead (form-upload.ts); any other body is stored byte for byte, whatever its content type.
 */
export async function storeFile(root: FileRoot, req: Request, res: Response, name: FileName): Promise<void> {
  assertCreatable(root.realRoot, name, root.maxPathDepth);
  if (isFormUpload(req)) return storeForm(root, req, res, name);
  if (name.directory) return makeDirectory(root, req, res, name);
  const located = await locate(root.realRoot, name.segments, root.hidden);
  const { real } = located;
  // A concurrent DELETE may remove the name between locating and looking at it: then it is new.
  const current = located.exists ? await stat(real).catch(missingAsNull) : null;
  const exists = current !== null;
  if (current?.isDirectory()) throw new HttpError(409, 'A directory has that name');
  if (current !== null && !current.isFile()) throw new HttpError(403, 'Not a regular file');
  if (evaluatePreconditions(req, validatorsOf(current)) !== 'proceed') {
    preconditionFailed(res);
    return;
  }
  const dir = path.dirname(real);
  if (!exists) {
    // Only a new name can need its parent directories created (and rechecked afterwards).
    await makeDirectories(dir).catch((error: unknown) => {
      throw conflictOrFsError(error);
    });
    await assertInside(root.realRoot, dir);
  }
  let stored: Stats;
  try {
    stored = await writeFileAtomic(real, req.body);
  } catch (error) {
    if (res.closed) return; // the client went away mid-upload; nothing was stored
    // Only a failed body is the client's fault; a full disk or a read-only mount is not (507, 403).
    if (error instanceof BodyIncomplete) throw new HttpError(400, 'Request body incomplete');
    throw fsError(error);
  }
  res.status = req.method === 'PUT' && exists ? 204 : 201;
  res.setHeader('ETag', entityTag(stored));
  if (res.status === 201) res.setHeader('Location', nameUrl(req, name.segments, false));
  res.end();
}

/** POST or PUT on a name ending in "/": creates that directory (and missing parents). */
async function makeDirectory(root: FileRoot, req: Request, res: Response, name: FileName): Promise<void> {
  const { real, exists } = await locate(root.realRoot, name.segments, root.hidden);
  if (exists) throw new HttpError(409, 'Something with that name exists already');
  await makeDirectories(path.dirname(real)).catch((error: unknown) => {
    throw conflictOrFsError(error);
  });
  await assertInside(root.realRoot, path.dirname(real));
  await mkdir(real).catch((error: unknown) => {
    throw conflictOrFsError(error);
  });
  res.status = 201;
  res.setHeader('Location', nameUrl(req, name.segments, true));
  res.end();
}

/** DELETE: a file, or an empty directory (409 when not empty); 404 when nothing is there. */
export async function deleteFile(root: FileRoot, req: Request, res: Response, name: FileName): Promise<void> {
  if (name.segments.length === 0) throw new HttpError(403, 'The served directory itself cannot be deleted');
  const { real, exists } = await locate(root.realRoot, name.segments, root.hidden);
  if (!exists) throw new HttpError(404, 'Not Found');
  // Remove the name that was asked for: a link inside the root goes, its target stays.
  const target = path.join(await parentReal(root, name), name.segments.at(-1) ?? '');
  const current = await stat(real);
  if (evaluatePreconditions(req, validatorsOf(current)) !== 'proceed') {
    preconditionFailed(res);
    return;
  }
  try {
    if ((await lstat(target)).isDirectory()) await rmdir(target);
    else await unlink(target);
  } catch (error) {
    throw fsError(error);
  }
  res.status = 204;
  res.end();
}

/** The real path of a name's parent directory (already checked to be inside the root). */
async function parentReal(root: FileRoot, name: FileName): Promise<string> {
  return (await locate(root.realRoot, name.segments.slice(0, -1), root.hidden)).real;
}

function validatorsOf(stats: Stats | null): { etag: string; mtimeMs: number } | null {
  return stats === null ? null : { etag: entityTag(stats), mtimeMs: stats.mtimeMs };
}

function preconditionFailed(res: Response): void {
  res.status = 412;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('Precondition Failed\n');
}

/**
 * `mkdir -p`. Node's recursive mkdir reports any failure below a missing level as ENOENT (a
 * read-only mount gives ENOENT, not EROFS), which would read as 404: then the missing levels
 * are made one by one, so the error that stopped them is the one reported.
 */
export async function makeDirectories(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const missing: string[] = [];
  for (let level = dir; (await lstat(level).catch(missingAsNull)) === null; level = path.dirname(level)) missing.unshift(level);
  for (const level of missing) {
    await mkdir(level).catch((error: unknown) => {
      // Another upload may make the same folder at the same moment.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    });
  }
}

/** For a name that may vanish under a concurrent request: ENOENT means "not there", null. */
function missingAsNull(error: unknown): null {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  throw fsError(error);
}

/** A file where a directory is needed on the way: 409, not 404. */
export function conflictOrFsError(error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') return new HttpError(409, 'A file is in the way');
  return fsError(error);
}

