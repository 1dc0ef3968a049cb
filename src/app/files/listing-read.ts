import { stat, type Stats } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isShownName } from './names.js';
import { isInside, isVisible } from './safe-path.js';

/** One row of a directory listing, as sent in the JSON form. */
export interface ListingEntry {
  name: string;
  type: 'file' | 'directory';
  /** Bytes; null for directories. */
  size: number | null;
  /** Last modification, ISO 8601 (UTC). */
  mtime: string;
}

/**
 * The entries of a directory that the server would also serve: its own names (names.ts) never,
 * hidden names only when `hidden`, links only when their real target stays inside the root
 * (and is not hidden itself).
 * Directories first, then by name.
 */
export async function readListing(dir: string, realRoot: string, hidden: boolean): Promise<ListingEntry[]> {
  const dirents = await readdir(dir, { withFileTypes: true });
  const entries = await Promise.all(
    dirents.map(async (dirent): Promise<ListingEntry | null> => {
      const name = dirent.name;
      if (!isShownName(name, hidden)) return null;
      const full = path.join(dir, name);
      try {
        if (dirent.isSymbolicLink()) {
          const target = await realpath(full);
          if (!isInside(realRoot, target) || !isVisible(realRoot, target, hidden)) return null;
        }
        const info = await statOf(full);
        if (info.isDirectory()) return { name, type: 'directory', size: null, mtime: info.mtime.toISOString() };
        if (info.isFile()) return { name, type: 'file', size: info.size, mtime: info.mtime.toISOString() };
      } catch {
        // vanished meanwhile, or a dangling link: not listed
      }
      return null;
    }),
  );
  return sortEntries(entries.filter((entry): entry is ListingEntry => entry !== null));
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

/**
 * fs.stat through a callback: the 20,000 stats of a big folder took 0.5–0.8 s this way where
 * fs/promises' stat took 1.6 s (node 20, a folder in /tmp, both run in turn on 2 busy cores);
 * in such a burst the promise API's own cost per call dominates.
 */
function statOf(file: string): Promise<Stats> {
  return new Promise((resolve, reject) => {
    stat(file, (error, info) => {
      if (error === null) resolve(info);
      else reject(error);
    });
  });
}
