import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from '../index.js';

/**
 * Maps a decoded request name ("a/b.txt") to a path inside `root`, refusing anything that
 * could step outside it: empty, "." and ".." segments, backslashes, NUL and other control
 * characters → 400. The result is purely lexical; see `insideRoot` for symlinks.
 */
export function resolveInside(root: string, name: string): string {
  if (name === '') throw new HttpError(404, 'Not Found');
  // eslint-disable-next-line no-control-regex
  if (/[\\\x00-\x1f\x7f]/.test(name)) throw new HttpError(400, 'Invalid file name');
  const segments = name.split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') throw new HttpError(400, 'Invalid file name');
  }
  return path.join(root, ...segments);
}

/**
 * Symlink policy: a link is followed only when its real target is still inside the served
 * directory's real path; anything else is reported as missing (404), revealing nothing.
 */
export async function insideRoot(realRoot: string, candidate: string): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return true; // does not exist (yet): the lexical check already holds
  }
  return real === realRoot || real.startsWith(realRoot + path.sep);
}
