import { opendir } from 'node:fs/promises';
import path from 'node:path';
import { isShownName } from './names.js';

/** One name found by a search, below the folder searched. */
export interface SearchHit {
  /** Path below the searched folder, "/"-separated ("photos/2026/beach.jpg"). */
  path: string;
  type: 'file' | 'directory';
}

/** How far one search may go: a search is a walk of the disk, so it is bounded like a request. */
export interface SearchLimits {
  /** Most hits returned; the search stops there. */
  results: number;
  /** Wall-clock bound, in milliseconds. */
  timeMs: number;
}

export const SEARCH_LIMITS: SearchLimits = { results: 1000, timeMs: 3000 };

/** Why a search ended: it saw everything, or it hit one of its limits. */
export type SearchEnd = 'complete' | 'results' | 'time';

/** May the requester open this name (`path` below the searched folder, "/"-separated)? */
export type MayOpenHit = (path: string, type: SearchHit['type']) => boolean;

/**
 * Names below `dir` that contain `term`, case-insensitively, breadth first (near names come
 * first), yielded as they are found so the answer can stream. The server's own names and,
 * unless `hidden`, dot-files are skipped with everything below them; so are the names the
 * requester may not open (`opens`): a folder they may not list is not walked at all, so it
 * can neither show up nor spend the search's time and result limits. Links are not followed:
 * a walk through links could leave the root or loop, and checking each one costs a realpath.
 * Returns how it ended.
 */
export async function* searchNames(dir: string, term: string, hidden: boolean, limits: SearchLimits, opens: MayOpenHit): AsyncGenerator<SearchHit, SearchEnd> {
  const needle = term.toLocaleLowerCase();
  const deadline = Date.now() + limits.timeMs;
  const queue: string[] = [''];
  let found = 0;
  let seen = 0;
  for (let folder = queue.shift(); folder !== undefined; folder = queue.shift()) {
    let handle;
    try {
      handle = await opendir(path.join(dir, folder), { bufferSize: 256 });
    } catch {
      continue; // vanished or unreadable meanwhile: nothing to find there
    }
    for await (const dirent of handle) {
      // Date.now() costs little, but not nothing: look at the clock every 256 names.
      // Leaving the loop closes the folder (the iterator's return).
      if (++seen % 256 === 0 && Date.now() > deadline) return 'time';
      if (!isShownName(dirent.name, hidden)) continue;
      const type = dirent.isDirectory() ? 'directory' : dirent.isFile() ? 'file' : null;
      if (type === null) continue;
      const relative = folder === '' ? dirent.name : `${folder}/${dirent.name}`;
      if (type === 'directory') {
        if (!opens(relative, type)) continue;
        queue.push(relative);
      }
      if (!dirent.name.toLocaleLowerCase().includes(needle)) continue;
      // A file is checked only once it matches: most names walked never do.
      if (type === 'file' && !opens(relative, type)) continue;
      yield { path: relative, type };
      if (++found >= limits.results) return 'results';
    }
  }
  return 'complete';
}
