import { realpath, stat, type Dirent, type Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { isShownName } from './names.js';
import { isInside, isVisible } from './safe-path.js';

/** One row of a directory listing. */
export interface ListingEntry {
  name: string;
  type: 'file' | 'directory';
  /** Bytes; null for directories. */
  size: number | null;
  /** Last modification, whole milliseconds since the epoch (rounded as fs.Stats.mtime is). */
  mtimeMs: number;
}

/**
 * The entries of a directory that the server would also serve: its own names (names.ts) never,
 * hidden names only when `hidden`, links only when their real target stays inside the root
 * (and is not hidden itself).
 * Directories first, then by name.
 */
export async function readListing(dir: string, realRoot: string, hidden: boolean): Promise<ListingEntry[]> {
  const dirents = (await readdir(dir, { withFileTypes: true })).filter((dirent) => isShownName(dirent.name, hidden));
  const entries: (ListingEntry | null)[] = new Array<ListingEntry | null>(dirents.length).fill(null);
  // Not path.join per entry: `dir` is a real path already, and the names have no "/".
  const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
  await lookAtEach(dirents.length, (index, done) => {
    const dirent = dirents[index];
    if (dirent !== undefined) look(prefix + dirent.name, dirent, realRoot, hidden, done);
  }, (index, info) => {
    const name = dirents[index]?.name ?? '';
    if (info.isDirectory()) entries[index] = { name, type: 'directory', size: null, mtimeMs: Math.round(info.mtimeMs) };
    else if (info.isFile()) entries[index] = { name, type: 'file', size: info.size, mtimeMs: Math.round(info.mtimeMs) };
  });
  return sortEntries(entries.filter((entry): entry is ListingEntry => entry !== null));
}

type Looked = (error: Error | null, info?: Stats) => void;

/** Stats one entry; a link only once its real target is known to be one the server serves. */
function look(full: string, dirent: Dirent, realRoot: string, hidden: boolean, done: Looked): void {
  if (!dirent.isSymbolicLink()) return stat(full, done);
  realpath(full, (error, target) => {
    if (error !== null) return done(error);
    if (!isInside(realRoot, target) || !isVisible(realRoot, target, hidden)) return done(NOT_SERVED);
    stat(full, done);
  });
}

const NOT_SERVED = new Error('not served');

/**
 * How many stats of one listing are in flight at once. Enough to keep libuv's four pool
 * threads busy; more only queues up in the pool.
 */
const LANES = 32;

/**
 * Runs `start` for every index 0..count-1, at most LANES at a time, and `found` for each that
 * succeeded (one that failed — vanished meanwhile, a dangling link — is left out). Each lane
 * is one callback reused for the next index: a promise and a closure per entry made a listing
 * of 20,000 entries spend most of its time in the garbage collector (profiled with --cpu-prof:
 * 0.94 s of 2.8 s for five listings, against ~0.25 s in stat itself).
 */
function lookAtEach(count: number, start: (index: number, done: Looked) => void, found: (index: number, info: Stats) => void): Promise<void> {
  return new Promise((resolve) => {
    let next = 0;
    let active = 0;
    const lane = (): void => {
      let index = next++;
      active++;
      const done: Looked = (error, info) => {
        if (error === null && info !== undefined) found(index, info);
        if (next < count) {
          index = next++;
          start(index, done);
        } else if (--active === 0) resolve();
      };
      start(index, done);
    };
    if (count === 0) resolve();
    for (let i = 0; i < Math.min(LANES, count); i++) lane();
  });
}

/**
 * Folders first, then by name as the collator orders them. The collator (numeric, any case)
 * is slow per comparison, and a 20,000-name sort makes about 300,000; so the names are first
 * put in a rough order by plain string comparison of a key close to the collator's (lower
 * case, digit runs padded), and the collator then sorts that almost sorted array, which V8's
 * TimSort does in few more comparisons than names. The result is exactly the collator's
 * order; 20,000 shuffled names: 0.22–0.45 s → 0.16–0.25 s (three runs each, 2 busy cores).
 */
function sortEntries(entries: ListingEntry[]): ListingEntry[] {
  const rough = entries.map((entry) => ({ entry, key: `${entry.type === 'directory' ? 0 : 1}${roughKey(entry.name)}` }));
  rough.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return rough
    .map(({ entry }) => entry)
    .sort((a, b) => (a.type === b.type ? compareNames(a.name, b.name) : a.type === 'directory' ? -1 : 1));
}

function roughKey(name: string): string {
  return name.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
