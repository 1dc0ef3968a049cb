import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from '../../index.js';
import { isShownName, tempUploadName } from './names.js';

/** Longest name of one directory entry on the filesystems we run on (bytes, NAME_MAX). */
const NAME_MAX = 255;
/** Longest path a system call accepts, without its terminating NUL (PATH_MAX − 1). */
const PATH_MAX = 4095;

/** A request name taken apart: "a/b/" → segments ["a", "b"], directory true. */
export interface FileName {
  /** Decoded path segments below the served directory; empty for the directory itself. */
  segments: string[];
  /** True when the name ended in "/" (or was empty): the client means a directory. */
  directory: boolean;
}

/**
 * Checks a decoded request name ("a/b.txt", "a/b/") lexically. Empty, "." and ".." segments,
 * backslashes, NUL and other control characters → 400. Hidden names (a segment starting with
 * ".") → 404 unless `hidden`; the server's own names (see names.ts) → 404 always.
 */
export function parseFileName(name: string, hidden: boolean): FileName {
  // eslint-disable-next-line no-control-regex
  if (/[\\\x00-\x1f\x7f]/.test(name)) throw new HttpError(400, 'Invalid file name');
  const directory = name === '' || name.endsWith('/');
  const segments = name === '' ? [] : (directory ? name.slice(0, -1) : name).split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') throw new HttpError(400, 'Invalid file name');
    if (!isShownName(segment, hidden)) throw new HttpError(404, 'Not Found');
  }
  return { segments, directory };
}

/** Where a name lives on disk, with symlinks resolved. */
export interface Location {
  /** The real path: existing symlinks resolved, missing parts appended as they are. */
  real: string;
  /** False when nothing exists at the name (yet). */
  exists: boolean;
}

/**
 * Symlink policy: a link is followed only when its real target is still inside the served
 * directory's real path; anything else is reported as missing (404), revealing nothing.
 * For a name that does not exist yet, the deepest existing ancestor must pass the same test,
 * so a write through a linked directory can never land outside. A dangling link is refused,
 * and so is a link that leads to a hidden name or one of the server's own names.
 */
export async function locate(realRoot: string, segments: readonly string[], hidden: boolean): Promise<Location> {
  const lexical = path.join(realRoot, ...segments);
  for (let attempt = 1; ; attempt++) {
    const real = await realpathOrNull(lexical);
    if (real !== null) {
      if (!isInside(realRoot, real) || !isVisible(realRoot, real, hidden)) throw new HttpError(404, 'Not Found');
      return { real, exists: true };
    }
    const entry = await lstat(lexical).catch(() => null);
    if (entry === null) break;
    // The name exists although its real path did not: a dangling link, or a file another
    // request renamed into place in between (then look again: it is no link).
    if (entry.isSymbolicLink() || attempt === 3) throw new HttpError(404, 'Not Found');
  }
  for (let depth = segments.length - 1; depth >= 0; depth--) {
    const ancestor = await realpathOrNull(path.join(realRoot, ...segments.slice(0, depth)));
    if (ancestor === null) continue;
    if (!isInside(realRoot, ancestor) || !isVisible(realRoot, ancestor, hidden)) throw new HttpError(404, 'Not Found');
    return { real: path.join(ancestor, ...segments.slice(depth)), exists: false };
  }
  throw new HttpError(404, 'Not Found');
}

/**
 * Refuses, before anything is created, a name the filesystem would reject or that nests too
 * deep: more than `maxDepth` segments or a path (its upload's temporary file included) over
 * PATH_MAX → 414; a segment over NAME_MAX bytes → 400. One request cannot make a thousand folders.
 */
export function assertCreatable(realRoot: string, name: FileName, maxDepth: number): void {
  const { segments } = name;
  if (segments.length > maxDepth) throw new HttpError(414, `Path too deep: at most ${maxDepth} segments`);
  if (segments.some((segment) => Buffer.byteLength(segment) > NAME_MAX)) {
    throw new HttpError(400, `File name too long: at most ${NAME_MAX} bytes per segment`);
  }
  const target = path.join(realRoot, ...segments);
  const temp = path.join(path.dirname(target), tempUploadName());
  if (Math.max(Buffer.byteLength(target), Buffer.byteLength(temp)) > PATH_MAX) throw new HttpError(414, 'Path too long');
}

/** Re-checks, right before writing, that a directory (now created) is still inside the root. */
export async function assertInside(realRoot: string, dir: string): Promise<void> {
  const real = await realpathOrNull(dir);
  if (real === null || !isInside(realRoot, real)) throw new HttpError(404, 'Not Found');
}

/** Whether every segment of `real` below the root may be shown (see parseFileName). */
export function isVisible(realRoot: string, real: string, hidden: boolean): boolean {
  if (real === realRoot) return true;
  return real
    .slice(realRoot.length + 1)
    .split(path.sep)
    .every((segment) => isShownName(segment, hidden));
}

export function isInside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(realRoot + path.sep);
}

async function realpathOrNull(candidate: string): Promise<string | null> {
  try {
    return await realpath(candidate);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'ELOOP' || code === 'ENAMETOOLONG') throw new HttpError(404, 'Not Found');
    throw error;
  }
}
