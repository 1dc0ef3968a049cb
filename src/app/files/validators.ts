import type { Stats } from 'node:fs';
import type { Request } from '../../index.js';

/**
 * A strong entity tag from inode, size and modification time (µs): any write through the
 * server renames a new inode into place, and an in-place edit changes the size or mtime.
 * A coded variant (e.g. gzip) is weak: its bytes depend on the compressor, not only the file.
 */
export function entityTag(stats: Stats): string {
  return `"${stats.ino.toString(36)}-${stats.size.toString(36)}-${Math.round(stats.mtimeMs * 1000).toString(36)}"`;
}

/** The weak tag of a coded variant of the bytes a strong `etag` names: "id" → W/"id-gzip". */
export function codedTag(etag: string, coding: string): string {
  return `W/${etag.slice(0, -1)}-${coding}"`;
}

/** The file's modification time as an HTTP-date (whole seconds). */
export function lastModified(stats: Stats): string {
  return stats.mtime.toUTCString();
}

/** What the file server's pure decisions read from a request: its method and headers. */
export type RequestFacts = Pick<Request, 'method' | 'header'>;

/** What the conditional request headers decide (RFC 9110 §13.2.2). */
export type Precondition = 'proceed' | 'not-modified' | 'failed';

/** The state the preconditions are evaluated against; null when nothing exists at the name. */
export interface Current {
  etag: string;
  mtimeMs: number;
}

/**
 * Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since in the order
 * RFC 9110 §13.2.2 gives. GET and HEAD get "not-modified" where other methods get "failed".
 */
export function evaluatePreconditions(req: RequestFacts, current: Current | null): Precondition {
  const safe = req.method === 'GET' || req.method === 'HEAD';
  const ifMatch = req.header('if-match');
  if (ifMatch !== undefined) {
    if (!matches(ifMatch, current, true)) return 'failed';
  } else {
    const since = parseHttpDate(req.header('if-unmodified-since'));
    if (since !== null && current !== null && wholeSeconds(current.mtimeMs) > since) return 'failed';
  }
  const ifNoneMatch = req.header('if-none-match');
  if (ifNoneMatch !== undefined) {
    if (matches(ifNoneMatch, current, false)) return safe ? 'not-modified' : 'failed';
  } else if (safe && current !== null) {
    const since = parseHttpDate(req.header('if-modified-since'));
    if (since !== null && wholeSeconds(current.mtimeMs) <= since) return 'not-modified';
  }
  return 'proceed';
}

/**
 * If-Range (RFC 9110 §13.1.5): true when the range may be applied — the header is absent, or
 * names the current strong entity tag, or exactly the current Last-Modified date.
 */
export function ifRangeHolds(req: RequestFacts, current: Current): boolean {
  const value = req.header('if-range');
  if (value === undefined) return true;
  const trimmed = value.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith('W/')) {
    return !trimmed.startsWith('W/') && !current.etag.startsWith('W/') && trimmed === current.etag;
  }
  const date = parseHttpDate(trimmed);
  return date !== null && date === wholeSeconds(current.mtimeMs);
}

/** A list of entity tags (or "*") against the current one, strong or weak comparison. */
function matches(header: string, current: Current | null, strong: boolean): boolean {
  if (current === null) return false;
  if (header.trim() === '*') return true;
  const mine = opaque(current.etag);
  if (strong && current.etag.startsWith('W/')) return false;
  for (const item of header.split(',')) {
    const tag = item.trim();
    if (strong && tag.startsWith('W/')) continue;
    if (opaque(tag) === mine) return true;
  }
  return false;
}

function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag;
}

function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** An HTTP-date in ms, or null when absent or not a date (the header is then ignored). */
function parseHttpDate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
