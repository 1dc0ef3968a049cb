import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { MetadataFile } from './metadata-file.js';
import { isWithin } from './prop-store.js';
import type { LockScope } from './xml-requests.js';

/** A write lock (RFC 4918 §6) on the resource at `root` ("a/b", "" for the served root). */
export interface Lock {
  readonly token: string;
  readonly root: string;
  readonly depth: '0' | 'infinity';
  readonly scope: LockScope;
  /** The owner element's content as the client sent it (XML), echoed in lockdiscovery. */
  readonly owner: string;
  /** Seconds granted by the last LOCK or refresh. */
  readonly timeout: number;
  /** When the lock lapses (ms since the epoch). */
  readonly expires: number;
}

export type LockRequest = Pick<Lock, 'root' | 'depth' | 'scope' | 'owner' | 'timeout'>;

interface Document {
  locks: Lock[];
}

/** What a write touches, for the lock check: see blockingLock(). */
export interface WriteTarget {
  readonly resource: string;
  /** The write reaches everything below the resource too (DELETE, MOVE of a collection). */
  readonly tree: boolean;
  /** The write adds or removes the resource, changing its parent's membership. */
  readonly membership: boolean;
}

/** True when `lock` applies to `resource`: on it, or on an ancestor with Depth infinity. */
export function covers(lock: Lock, resource: string): boolean {
  return lock.root === resource || (lock.depth === 'infinity' && isWithin(resource, lock.root));
}

/** The parent of a resource path ("" for a top-level name), or null for the root. */
export function parentOf(resource: string): string | null {
  if (resource === '') return null;
  const slash = resource.lastIndexOf('/');
  return slash < 0 ? '' : resource.slice(0, slash);
}

/**
 * The first lock the write would violate, or null when it may go ahead. A lock is honoured
 * when its token is submitted; among shared locks on the same target one submitted token is
 * enough (any holder of a shared lock may write).
 */
export function blockingLock(locks: readonly Lock[], targets: readonly WriteTarget[], submitted: ReadonlySet<string>): Lock | null {
  for (const target of targets) {
    const parent = target.membership ? parentOf(target.resource) : null;
    const affecting = locks.filter(
      (lock) =>
        covers(lock, target.resource) ||
        (target.tree && isWithin(lock.root, target.resource)) ||
        (parent !== null && covers(lock, parent)),
    );
    const exclusive = affecting.find((lock) => lock.scope === 'exclusive' && !submitted.has(lock.token));
    if (exclusive !== undefined) return exclusive;
    const shared = affecting.filter((lock) => lock.scope === 'shared');
    const [first] = shared;
    if (first !== undefined && !shared.some((lock) => submitted.has(lock.token))) return first;
  }
  return null;
}

/** The existing lock a new one would conflict with, or null (RFC 4918 §6.1, §7). */
export function conflictingLock(locks: readonly Lock[], wanted: LockRequest): Lock | null {
  for (const lock of locks) {
    const overlap = covers(lock, wanted.root) || (wanted.depth === 'infinity' && isWithin(lock.root, wanted.root));
    if (overlap && (lock.scope === 'exclusive' || wanted.scope === 'exclusive')) return lock;
  }
  return null;
}

/**
 * Write locks, kept in `<metadata dir>/locks.json` (see MetadataFile for why and how several
 * processes and machines stay consistent). Lapsed locks are ignored when read and dropped at
 * the next change.
 */
export class LockStore {
  private readonly file: MetadataFile<Document>;

  constructor(
    metadataDir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = new MetadataFile(path.join(metadataDir, 'locks.json'), decode);
  }

  /** Every lock still in force. */
  async all(): Promise<readonly Lock[]> {
    const now = this.now();
    return (await this.file.read()).locks.filter((lock) => lock.expires > now);
  }

  /** Grants a new lock, or returns the one it conflicts with. Check and grant are atomic. */
  async create(wanted: LockRequest): Promise<{ granted: Lock } | { conflict: Lock }> {
    return this.change((document) => {
      const conflict = conflictingLock(document.locks, wanted);
      if (conflict !== null) return { conflict };
      const granted: Lock = { ...wanted, token: `urn:uuid:${randomUUID()}`, expires: this.now() + wanted.timeout * 1000 };
      document.locks.push(granted);
      return { granted };
    });
  }

  /** Restarts the timeout of the lock with `token` if it covers `resource`; null when none does. */
  async refresh(resource: string, token: string, timeout: number): Promise<Lock | null> {
    return this.change((document) => {
      const found = document.locks.find((lock) => lock.token === token && covers(lock, resource));
      if (found === undefined) return null;
      const refreshed: Lock = { ...found, timeout, expires: this.now() + timeout * 1000 };
      document.locks = document.locks.map((lock) => (lock === found ? refreshed : lock));
      return refreshed;
    });
  }

  /** Removes the lock with `token` if it covers `resource`; false when none does. */
  async remove(resource: string, token: string): Promise<boolean> {
    return this.change((document) => {
      const before = document.locks.length;
      document.locks = document.locks.filter((lock) => lock.token !== token || !covers(lock, resource));
      return document.locks.length < before;
    });
  }

  /** Removes the locks rooted at `resource` or below (the resource went away). */
  async removeWithin(resource: string): Promise<void> {
    await this.change((document) => {
      document.locks = document.locks.filter((lock) => !isWithin(lock.root, resource));
    });
  }

  private async change<R>(change: (document: Document) => R): Promise<R> {
    return this.file.update((document) => {
      const now = this.now();
      document.locks = document.locks.filter((lock) => lock.expires > now);
      return change(document);
    });
  }
}

function decode(json: unknown): Document {
  if (json === undefined) return { locks: [] };
  if (typeof json !== 'object' || json === null || !Array.isArray((json as Document).locks)) throw new TypeError('no locks');
  return json as Document;
}
