// Which names a requester may open, for listings and search results that show only those.
import type { Request } from '../../index.js';
import type { FileRoot } from './file-write.js';

/** May the requester open this name (`segments` below the root): list a folder, read a file? */
export type MayOpen = (segments: readonly string[], type: 'file' | 'directory') => boolean;

export function mayOpen(root: FileRoot, req: Request): MayOpen {
  const access = root.access;
  if (access === null) return () => true;
  const user = access.user(req);
  return (segments, type) => access.check(user, segments.join('/'), type === 'directory' ? 'list' : 'read') === 'allow';
}
