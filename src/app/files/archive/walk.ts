import { constants } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ArchiveEntry } from './entry.js';

export interface WalkOptions {
  /** Real path (symlinks resolved) of the folder whose contents are archived. */
  start: string;
  /**
   * Whether a member goes into the archive, by its segments below `start`: the caller's rules
   * for hidden names, excluded names and what the client may read. A folder left out is not
   * entered.
   */
  include(segments: readonly string[], kind: ArchiveEntry['kind']): boolean;
  /** Whether a symlink may be followed to its real target (containment in the served directory). */
  follows(real: string): boolean;
}

/** Opens a resolved path without following a link that appeared meanwhile, never blocking on a FIFO. */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const READ_CHUNK = 256 * 1024;

/**
 * The folders and regular files below `start`, depth first, each folder before its contents,
 * names in code-point order within a folder. Lazy: a folder is read when the archive reaches
 * it, and a file is opened only when its member is written. Entries that vanish before they
 * are reached are left out; links to an ancestor (cycles), dangling links and other file types
 * (sockets, FIFOs, devices) never go in.
 */
export function walkTree(options: WalkOptions): AsyncGenerator<ArchiveEntry> {
  return walkFolder(options.start, [], [options.start], options);
}

async function* walkFolder(
  real: string,
  segments: readonly string[],
  ancestors: string[],
  options: WalkOptions,
): AsyncGenerator<ArchiveEntry> {
  const names = (await readdir(real)).sort();
  for (const name of names) {
    const child = [...segments, name];
    const full = await resolve(path.join(real, name), options);
    if (full === null) continue;
    const info = await stat(full).catch(vanished);
    if (info === null) continue;
    const entryPath = child.join('/');
    if (info.isDirectory()) {
      if (ancestors.includes(full) || !options.include(child, 'folder')) continue;
      yield { kind: 'folder', path: entryPath, mtime: info.mtime, mode: info.mode };
      ancestors.push(full);
      yield* walkFolder(full, child, ancestors, options);
      ancestors.pop();
    } else if (info.isFile()) {
      if (!options.include(child, 'file')) continue;
      yield { kind: 'file', path: entryPath, mtime: info.mtime, mode: info.mode, size: info.size, open: () => readFile(full) };
    }
  }
}

/** The real path to read: the path itself, a contained link's target, or null to leave it out. */
async function resolve(full: string, options: WalkOptions): Promise<string | null> {
  const real = await realpath(full).catch(vanished);
  if (real === null) return null;
  if (real === full) return full;
  return options.follows(real) ? real : null;
}

async function readFile(full: string): Promise<AsyncIterable<Buffer>> {
  const handle = await open(full, OPEN_FLAGS);
  return handle.createReadStream({ highWaterMark: READ_CHUNK });
}

function vanished(error: unknown): null {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP') return null;
  throw error;
}
