import type { Stats } from 'node:fs';
import path from 'node:path';
import type { Request, Response } from '../../../index.js';
import { LockStore } from './lock-store.js';
import { PropStore } from './prop-store.js';
import { hrefOf } from './xml-write.js';

/**
 * What WebDAV needs from the file server it extends, passed in rather than imported so the
 * WebDAV modules do not depend on the file server's internals.
 */
export interface FileSpace {
  /** The served directory's real path. */
  readonly realRoot: string;
  /** The URL path the directory is served under, with a final "/" ("/files/"). */
  readonly prefix: string;
  /** Checks a decoded request name ("a/b", "a/") lexically; 400 or 404 when it may not be used. */
  parseName(name: string): { segments: string[]; directory: boolean };
  /** Where a name lives on disk (symlinks resolved and contained); 404 when it may not be used. */
  locate(segments: readonly string[]): Promise<{ real: string; exists: boolean }>;
  /** Whether a directory entry's name may be shown (hidden files, temporary files, metadata). */
  visible(name: string): boolean;
  /** Whether the requester may open this name (list a collection, read a file), by the access rules. */
  mayOpen(req: Request, segments: readonly string[], collection: boolean): boolean;
  /** The ETag GET sends for a file with these stats. */
  entityTag(stats: Stats): string;
  /** The Content-Type GET sends for a file of this name. */
  contentType(name: string): string;
  /** If-Match, If-Unmodified-Since and the like against the current file (null: none); false → 412. */
  preconditionsHold(req: Request, stats: Stats | null): boolean;
  /** Refuses a new name that nests too deep or is too long for the filesystem (414 or 400). */
  assertCreatable(name: { segments: string[]; directory: boolean }): void;
  /** A fresh temporary file name in `dir`, never listed or served, removed if left behind. */
  tempPath(dir: string): string;
}

/** The most a lock may last (seconds); also what "Infinite" and no Timeout header get. */
export const MAX_LOCK_SECONDS = 3600;

/** A file space with its WebDAV state: dead properties and locks in the metadata area. */
export class DavSpace {
  readonly props: PropStore;
  readonly locks: LockStore;

  /** `metadataDir` is the hidden metadata area of the served directory. */
  constructor(
    readonly files: FileSpace,
    metadataDir: string,
  ) {
    this.props = new PropStore(metadataDir);
    this.locks = new LockStore(metadataDir);
  }

  href(segments: readonly string[], collection: boolean): string {
    return hrefOf(this.files.prefix, segments, collection);
  }
}

/**
 * The path of the directory entry for `segments` (a link itself, not its target): the real
 * path of the parent (already contained) joined with the last name.
 */
export async function entryPath(space: DavSpace, segments: readonly string[]): Promise<string> {
  const parent = await space.files.locate(segments.slice(0, -1));
  return path.join(parent.real, segments.at(-1) ?? '');
}

/** A resource path key ("a/b", "" for the root) from segments. */
export function keyOf(segments: readonly string[]): string {
  return segments.join('/');
}

/** Sends an XML body with `status`. */
export function sendXml(res: Response, status: number, body: string): void {
  res.status = status;
  res.setHeader('Content-Type', 'application/xml; charset=utf-8');
  res.end(body);
}

/** The request's resource name (the route's "*" parameter; none for the folder itself) taken apart. */
export function requestName(space: DavSpace, req: Request): { segments: string[]; directory: boolean } {
  return space.files.parseName(req.params['*'] ?? '');
}
