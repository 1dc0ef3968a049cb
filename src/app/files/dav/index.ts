import type { Request, Response } from '../../../index.js';
import { copyOrMove } from './copy-move.js';
import { fsHttpError } from './fs-status.js';
import { remove } from './delete.js';
import { lock, unlock } from './lock.js';
import { mkcol } from './mkcol.js';
import { propfind } from './propfind.js';
import { proppatch } from './proppatch.js';
import { keyOf, sendXml, type DavSpace } from './space.js';
import { checkWrite, LockedError } from './write-guard.js';

/**
 * WebDAV (RFC 4918, class 1 and 2) for the file server: the folder's public entry. The file
 * server adds a route for each row of DAV_METHODS and hands every handler its DavSpace.
 */
export { DavSpace, type FileSpace } from './space.js';

export type DavHandler = (space: DavSpace, req: Request, res: Response) => Promise<void>;

/** A WebDAV method and its handler; `changes` marks the unsafe methods (they write). */
export interface DavMethod {
  readonly method: string;
  readonly handler: DavHandler;
  readonly changes: boolean;
}

export const DAV_METHODS: readonly DavMethod[] = [
  { method: 'PROPFIND', handler: answeringLocked(propfind), changes: false },
  { method: 'PROPPATCH', handler: answeringLocked(proppatch), changes: true },
  { method: 'MKCOL', handler: answeringLocked(mkcol), changes: true },
  { method: 'COPY', handler: answeringLocked(copyOrMove), changes: true },
  { method: 'MOVE', handler: answeringLocked(copyOrMove), changes: true },
  { method: 'LOCK', handler: answeringLocked(lock), changes: true },
  { method: 'UNLOCK', handler: answeringLocked(unlock), changes: true },
  { method: 'DELETE', handler: answeringLocked(remove), changes: true },
];

/** The headers OPTIONS adds for WebDAV: compliance classes, and Microsoft's hint to use DAV. */
export function setDavHeaders(res: Response): void {
  res.setHeader('DAV', '1, 2');
  res.setHeader('MS-Author-Via', 'DAV');
}

/**
 * A 423 carries its XML body (which lock is in the way); a filesystem error becomes the status
 * it stands for; other errors stay as they are.
 */
export function answeringLocked<S>(handler: (state: S, req: Request, res: Response) => Promise<void>): (state: S, req: Request, res: Response) => Promise<void> {
  return async (state, req, res) => {
    try {
      await handler(state, req, res);
    } catch (error) {
      if (!(error instanceof LockedError)) throw fsHttpError(error);
      sendXml(res, 423, error.body);
    }
  };
}

/**
 * For PUT and POST of the file server: the If header and the locks on the file (and, for a
 * new file, on its folder) must allow the write; else 412 or LockedError (see answeringLocked).
 * Without an If header and without any lock in force, nothing is looked up: an upload then
 * costs one stat() of the lock store more than before WebDAV.
 */
export async function checkUpload(space: DavSpace, req: Request, segments: readonly string[], exists: () => Promise<boolean>): Promise<void> {
  if (req.header('if') === undefined && (await space.locks.all()).length === 0) return;
  const key = keyOf(segments);
  await checkWrite(space, req, key, [{ resource: key, tree: false, membership: !(await exists()) }]);
}
