import { writeFile } from 'node:fs/promises';
import { HttpError, type Request, type Response } from '../../../index.js';
import { parseDepth, parseTimeout } from './headers.js';
import { activeLock } from './live-props.js';
import type { Lock } from './lock-store.js';
import { keyOf, MAX_LOCK_SECONDS, requestName, sendXml, type DavSpace } from './space.js';
import { checkWrite } from './write-guard.js';
import { parseXmlBody } from './xml-parse.js';
import { parseLockInfo } from './xml-requests.js';
import { element, errorBody } from './xml-write.js';

/**
 * LOCK (RFC 4918 §9.10): a new exclusive or shared write lock, Depth 0 or infinity, or (no
 * body) a refresh of the lock whose token the If header submits. Locking an unmapped name
 * creates an empty file there (201), the RFC 4918 replacement for lock-null resources.
 */
export async function lock(space: DavSpace, req: Request, res: Response): Promise<void> {
  const name = requestName(space, req);
  const key = keyOf(name.segments);
  const timeout = parseTimeout(req.header('timeout'), MAX_LOCK_SECONDS);
  const body = await parseXmlBody(req);
  if (body === null) return refresh(space, req, res, key, timeout);
  const info = parseLockInfo(body);
  const depth = parseDepth(req.header('depth'), 'infinity', ['0', 'infinity']);
  const location = await space.files.locate(name.segments);
  if (!location.exists && name.directory) throw new HttpError(409, 'A folder that does not exist cannot be locked');
  if (!location.exists) space.files.assertCreatable(name);
  if (!location.exists && !(await space.files.locate(name.segments.slice(0, -1))).exists) {
    throw new HttpError(409, 'The parent collection does not exist');
  }
  await checkWrite(space, req, key, location.exists ? [] : [{ resource: key, tree: false, membership: true }]);
  const outcome = await space.locks.create({ root: key, depth: depth === '0' ? '0' : 'infinity', scope: info.scope, owner: info.owner, timeout });
  if ('conflict' in outcome) {
    const root = space.href(outcome.conflict.root === '' ? [] : outcome.conflict.root.split('/'), false);
    sendXml(res, 423, errorBody('no-conflicting-lock', element('DAV:', 'href', root)));
    return;
  }
  if (!location.exists) {
    await writeFile(location.real, '', { flag: 'wx' }).catch(async (error: unknown) => {
      await space.locks.remove(key, outcome.granted.token);
      const code = (error as NodeJS.ErrnoException).code;
      throw code === 'ENOENT' || code === 'ENOTDIR' ? new HttpError(409, 'The parent collection does not exist') : error;
    });
  }
  res.setHeader('Lock-Token', `<${outcome.granted.token}>`);
  sendLock(space, res, location.exists ? 200 : 201, outcome.granted);
}

async function refresh(space: DavSpace, req: Request, res: Response, key: string, timeout: number): Promise<void> {
  if (req.header('if') === undefined) throw new HttpError(400, 'A LOCK without a body refreshes a lock: send its token in If');
  for (const token of await checkWrite(space, req, key, [])) {
    const refreshed = await space.locks.refresh(key, token, timeout);
    if (refreshed !== null) {
      sendLock(space, res, 200, refreshed);
      return;
    }
  }
  sendXml(res, 412, errorBody('lock-token-matches-request-uri'));
}

function sendLock(space: DavSpace, res: Response, status: number, granted: Lock): void {
  const discovery = element('DAV:', 'lockdiscovery', activeLock(space, granted, Date.now()));
  sendXml(res, status, `<?xml version="1.0" encoding="utf-8"?>\n<D:prop xmlns:D="DAV:">${discovery}</D:prop>\n`);
}

/** UNLOCK (RFC 4918 §9.11): removes the lock named by Lock-Token if it covers the resource. */
export async function unlock(space: DavSpace, req: Request, res: Response): Promise<void> {
  const name = requestName(space, req);
  const header = req.header('lock-token')?.trim();
  if (header === undefined || !header.startsWith('<') || !header.endsWith('>')) throw new HttpError(400, 'Lock-Token header missing');
  if (!(await space.locks.remove(keyOf(name.segments), header.slice(1, -1)))) {
    sendXml(res, 409, errorBody('lock-token-matches-request-uri'));
    return;
  }
  res.status = 204;
  res.end();
}
