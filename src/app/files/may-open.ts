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

/**
 * What the listing page of the folder `segments` offers the requester; `moves`: the mount
 * answers MOVE (WebDAV). A mount that answers no writes offers none, whatever the rules allow.
 */
export function pageAccess(root: FileRoot, req: Request, segments: readonly string[], moves: boolean): PageAccess {
  const access = root.access;
  if (access === null) return !root.writes ? READ_ONLY : moves ? OPEN_ACCESS : WITHOUT_MOVE;
  const user = access.user(req);
  const logins = access.rules.logins.size > 0;
  if (!root.writes) return { ...READ_ONLY, user, logins };
  const path = segments.join('/');
  return {
    can: { write: access.check(user, path, 'write') === 'allow', move: moves },
    // Renaming or deleting takes everything below the name along.
    changeable: (entry: ListingEntry) => access.check(user, path === '' ? entry.name : `${path}/${entry.name}`, 'write-tree') === 'allow',
    user,
    logins,
  };
}

const WITHOUT_MOVE: PageAccess = { ...OPEN_ACCESS, can: { ...OPEN_ACCESS.can, move: false } };
const READ_ONLY: PageAccess = { ...OPEN_ACCESS, can: { write: false, move: false }, changeable: () => false };
