import { readdir, realpath, stat } from 'node:fs/promises';
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
        const info = await stat(full);
        if (info.isDirectory()) return { name, type: 'directory', size: null, mtime: info.mtime.toISOString() };
        if (info.isFile()) return { name, type: 'file', size: info.size, mtime: info.mtime.toISOString() };
      } catch {
        // vanished meanwhile, or a dangling link: not listed
      }
      return null;
    }),
  );
  return entries
    .filter((entry): entry is ListingEntry => entry !== null)
    .sort((a, b) => (a.type === b.type ? compareNames(a.name, b.name) : a.type === 'directory' ? -1 : 1));
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
