import type { Request } from '../../index.js';
import type { DavSpace } from './dav/index.js';
import type { FileCache } from './file-cache.js';
import type { FileRoot } from './file-write.js';
import type { TusHost } from './tus/routes.js';

/**
 * Access-rule hook: may the requester read the file or enter the folder at `path` (decoded,
 * "/"-separated, relative to the served directory)? Folder archives hold only what passes.
 */
export type ReadCheck = (req: Request, path: string, kind: 'file' | 'folder') => boolean;

/** Pages served in place of what the file server would answer; both off by default. */
export interface FolderPages {
  /** A folder URL with an index.html inside serves that file instead of the listing. */
  index: boolean;
  /** A name that does not exist, asked for by a client that accepts HTML, gets the root's index.html (single-page apps). */
  spa: boolean;
}

/** What every file-server handler works with: where the files are, the cache of small ones, the folder pages, the switches. */
export interface FileServer {
  root: FileRoot;
  cache: FileCache;
  pages: FolderPages;
  /** A directory URL answers its listing; off, 404. */
  listing: boolean;
  /** The methods answered, for OPTIONS. */
  allow: string;
  /** Resumable uploads (tus) and where they are kept. */
  uploads: TusHost;
  readable: ReadCheck;
  /** WebDAV's state, for the CLI's `/files/` (serveFiles mounts serve no WebDAV). */
  dav: DavSpace | null;
}
