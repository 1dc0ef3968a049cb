import type { Handler, Request, Response, Router } from '../../../index.js';
import { copyOrMove } from './copy-move.js';
import { remove } from './delete.js';
import { lock, unlock } from './lock.js';
import { mkcol } from './mkcol.js';
import { propfind } from './propfind.js';
import { proppatch } from './proppatch.js';
import { keyOf, sendXml, type DavSpace } from './space.js';
import { checkWrite, LockedError } from './write-guard.js';

/** Every method the WebDAV file space answers, for Allow. */
export const DAV_ALLOW = 'GET, HEAD, PUT, POST, DELETE, OPTIONS, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK';

/** The methods that change something: access rules and browser-origin checks treat them as unsafe. */
export const DAV_WRITE_METHODS: readonly string[] = ['PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'DELETE'];

type DavHandler = (space: DavSpace, req: Request, res: Response) => Promise<void>;

/**
 * How the file server wraps handlers: `read` for PROPFIND, `write` for the methods in
 * DAV_WRITE_METHODS. This is the one place access rules (authentication, read/write
 * permission, origin checks for unsafe methods) attach to WebDAV.
 */
export interface DavWrappers {
  read(handler: Handler): Handler;
  write(handler: Handler): Handler;
}

/** Adds WebDAV (RFC 4918 class 1 and 2) to the routes under `pattern` (e.g. "/files/*"). */
export function addDavRoutes(router: Router, pattern: string, space: DavSpace, wrap: DavWrappers): void {
  const bind = (handler: DavHandler): Handler => lockedAsXml((req, res) => handler(space, req, res));
  router.on('PROPFIND', pattern, wrap.read(bind(propfind)));
  router.on('PROPPATCH', pattern, wrap.write(bind(proppatch)));
  router.on('MKCOL', pattern, wrap.write(bind(mkcol)));
  router.on('COPY', pattern, wrap.write(bind(copyOrMove)));
  router.on('MOVE', pattern, wrap.write(bind(copyOrMove)));
  router.on('LOCK', pattern, wrap.write(bind(lock)));
  router.on('UNLOCK', pattern, wrap.write(bind(unlock)));
  router.on('DELETE', pattern, wrap.write(bind(remove)));
  router.options(pattern, (_req, res) => {
    res.status = 204;
    res.setHeader('Allow', DAV_ALLOW);
    res.setHeader('DAV', '1, 2');
    res.setHeader('MS-Author-Via', 'DAV');
    res.end();
  });
}

/** A 423 carries its XML body (which lock is in the way); other errors stay as they are. */
export function lockedAsXml(handler: Handler): Handler {
  return async (req, res) => {
    try {
      await handler(req, res);
    } catch (error) {
      if (!(error instanceof LockedError)) throw error;
      sendXml(res, 423, error.body);
    }
  };
}

/**
 * For PUT and POST of the file server: the If header and the locks on the file (and, for a
 * new file, on its folder) must allow the write.
 */
export async function checkUpload(space: DavSpace, req: Request, segments: readonly string[], exists: boolean): Promise<void> {
  const key = keyOf(segments);
  await checkWrite(space, req, key, [{ resource: key, tree: false, membership: !exists }]);
}
