import { open, stat } from 'node:fs/promises';
import { HttpError, type Request, type Response } from '../../index.js';
import { folderSource, requestedArchive, sendArchive } from './archive/route.js';
import type { FileCache } from './file-cache.js';
import { OPEN_FLAGS, sendCached, serveFile } from './file-read.js';
import type { FileServer } from './file-server.js';
import type { FileRoot } from './file-write.js';
import { fsError } from './fs-errors.js';
import { readListing } from './listing-read.js';
import { acceptsHtml, sendListing, wantsJson } from './listing.js';
import { mayOpen, pageAccess } from './may-open.js';
import { requestName } from './mount.js';
import { qrText, sendQrCode } from './qr.js';
import { locate, parseFileName } from './safe-path.js';
import { searchTerm, sendSearch } from './search-send.js';
import { answerSession } from './session.js';

/** The file server's reading routes: GET and HEAD on a file or a folder. */

/**
 * GET and HEAD: a file, a directory listing, search or archive, or a redirect to the listing's
 * "/" form. A small file checked against the disk less than `freshMs` (1 s) ago is answered
 * from memory within this call, with no promise and no file system call; so an edit made
 * behind the server's back shows within that second (see FileCache). Access rules and name
 * checks ran before this handler, and a name is cached only once the disk path accepted it.
 */
export function get(server: FileServer, req: Request, res: Response): void | Promise<void> {
  const key = requestName(req);
  const now = Date.now();
  const hit = server.cache.fresh(key, now);
  if (hit !== undefined) {
    const sent = sendCached(req, res, hit, server.cache, now);
    if (sent === true) return;
    if (sent !== false) return sent;
  }
  return getFromDisk(server, req, res, key);
}

async function getFromDisk({ root, cache, pages, listing, readable, dav }: FileServer, req: Request, res: Response, key: string): Promise<void> {
  const now = Date.now();
  const generation = cache.generation;
  const name = parseFileName(key, root.hidden);
  const { real, exists } = await locate(root.realRoot, name.segments, root.hidden);
  if (!exists) {
    if (pages.spa && acceptsHtml(req.header('accept')) && mayOpen(root, req)([INDEX_PAGE], 'file') && (await servePage(root, cache, req, res, []))) return;
    throw new HttpError(404, 'Not Found');
  }
  const info = await stat(real).catch((error: unknown) => {
    throw fsError(error);
  });
  if (info.isDirectory()) {
    if (!listing) throw new HttpError(404, 'Not Found');
    if (!name.directory) {
      redirect(req, res, `${req.path}/`);
      return;
    }
    if (answerSession(root.access, req, res)) return;
    const qr = qrText(req.query);
    if (qr !== null) {
      sendQrCode(res, qr);
      return;
    }
    const format = requestedArchive(req.query);
    if (format !== null) {
      const mayRead = (segments: readonly string[], kind: 'file' | 'folder'): boolean => readable(req, segments.join('/'), kind);
      return sendArchive(req, res, format, folderSource(root, real, name.segments, mayRead));
    }
    const term = searchTerm(req.query);
    // A folder URL needs only to lead to something readable: what it shows is what may be opened.
    const opens = mayOpen(root, req);
    if (term !== null) return sendSearch(req, res, real, name.segments, term, root.hidden, opens);
    if (pages.index && !wantsJson(req.header('accept')) && opens([...name.segments, INDEX_PAGE], 'file') && (await servePage(root, cache, req, res, name.segments))) return;
    const entries = await readListing(real, root.realRoot, root.hidden).catch((error: unknown) => {
      throw fsError(error);
    });
    const shown = entries.filter((entry) => opens([...name.segments, entry.name], entry.type));
    sendListing(req, res, name.segments, shown, pageAccess(root, req, name.segments, dav !== null));
    return;
  }
  const base = name.segments.at(-1);
  if (!info.isFile() || name.directory || base === undefined) throw new HttpError(404, 'Not Found');
  const handle = await open(real, OPEN_FLAGS).catch((error: unknown) => {
    throw fsError(error);
  });
  await serveFile(req, res, base, real, handle, { cache, key, generation, now });
}

/**
 * Serves the index.html of the folder `segments` (--index, --spa); false when it has none,
 * so the caller answers as it would have without the option.
 */
async function servePage(root: FileRoot, cache: FileCache, req: Request, res: Response, segments: string[]): Promise<boolean> {
  const { real, exists } = await locate(root.realRoot, [...segments, INDEX_PAGE], root.hidden).catch(() => ({ real: '', exists: false }));
  if (!exists || !(await stat(real).then((info) => info.isFile(), () => false))) return false;
  const handle = await open(real, OPEN_FLAGS).catch(() => null);
  if (handle === null) return false;
  const key = [...segments, INDEX_PAGE].join('/');
  await serveFile(req, res, INDEX_PAGE, real, handle, { cache, key, generation: cache.generation, now: Date.now() });
  return true;
}

const INDEX_PAGE = 'index.html';

/** 301 to `location` (the request's own path, so still percent-encoded), keeping the query. */
export function redirect(req: Request, res: Response, location: string): void {
  res.status = 301;
  res.setHeader('Location', req.query === '' ? location : `${location}?${req.query}`);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('Moved Permanently\n');
}
