// Which names a requester may open, for listings and search results that show only those.
import type { Request } from '../../index.js';
import type { FileRoot } from './file-write.js';
import { OPEN_ACCESS, type PageAccess } from './listing-page.js';
import type { ListingEntry } from './listing-read.js';

/** May the requester open this name (`segments` below the root): list a folder, read a file? */
export type MayOpen = (segments: readonly string[], type: 'file' | 'directory') => boolean;

export function mayOpen(root: FileRoot, req: Request): MayOpen {
  const access = root.access;
  if (access === null) return () => true;
  const user = access.user(req);
  return (segments, type) => access.check(user, segments.join('/'), type === 'directory' ? 'list' : 'read') === 'allow';
}

/** What the listing page of the folder `segments` offers the requester. */
export function pageAccess(root: FileRoot, req: Request, segments: readonly string[]): PageAccess {
  const access = root.access;
  if (access === null) return OPEN_ACCESS;
  const user = access.user(req);
  const path = segments.join('/');
  return {
    can: { write: access.check(user, path, 'write') === 'allow' },
    // Renaming or deleting takes everything below the name along.
    changeable: (entry: ListingEntry) => access.check(user, path === '' ? entry.name : `${path}/${entry.name}`, 'write-tree') === 'allow',
    user,
    logins: access.rules.logins.size > 0,
  };
}
