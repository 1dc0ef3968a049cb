import { open, realpath, stat } from 'node:fs/promises';
import { HttpError, type Handler, type Request, type Response, type Router } from '../../index.js';
import { FileCache } from './file-cache.js';
import { OPEN_FLAGS, sendCached, serveFile } from './file-read.js';
import { deleteFile, storeFile, type FileRoot } from './file-write.js';
import { fsError } from './fs-errors.js';
import { readListing } from './listing-read.js';
import { acceptsHtml, sendListing, wantsJson } from './listing.js';
import { qrText, sendQrCode } from './qr.js';
import { searchTerm, sendSearch } from './search-send.js';
import { locate, parseFileName } from './safe-path.js';

/** Pages served in place of what the file server would answer; both off by default. */
export interface FolderPages {
  /** A folder URL with an index.html inside serves that file instead of the listing. */
  index: boolean;
  /** A name that does not exist, asked for by a client that accepts HTML, gets the root's index.html (single-page apps). */
  spa: boolean;
}

/** What every file-server handler works with: where the files are, the cache of small ones, the folder pages. */
export interface FileServer {
  root: FileRoot;
  cache: FileCache;
  pages: FolderPages;
}

type FileHandler = (server: FileServer, req: Request, res: Response) => void | Promise<void>;

/** One route of the file server. */
interface FileRoute {
  method: string;
  pattern: string;
  handler: FileHandler;
  /** Writes or deletes: the cache is cleared afterwards, so the change shows to the very next read. */
  changes?: boolean;
}

/** Methods `/files/*` answers; the router sends 405 with the same list for any other. */
const ALLOW = 'GET, HEAD, PUT, POST, DELETE, OPTIONS';

/**
 * Every route of the file server, in the order the router tries them. A subsystem (WebDAV,
 * archives, resumable uploads) adds its rows here, with its handlers in its own folder.
 */
const ROUTES: readonly FileRoute[] = [
  { method: 'GET', pattern: '/files', handler: (_server, req, res) => redirect(req, res, '/files/') },
  { method: 'GET', pattern: '/files/*', handler: get },
  { method: 'PUT', pattern: '/files/*', handler: store, changes: true },
  { method: 'POST', pattern: '/files/*', handler: store, changes: true },
  { method: 'DELETE', pattern: '/files/*', handler: remove, changes: true },
  { method: 'OPTIONS', pattern: '/files/*', handler: options },
];

/** The file server under `/files/`: download, list, upload, create folders, delete. */
export async function addFileRoutes(router: Router, directory: string, hidden: boolean, maxPathDepth: number, pages: FolderPages): Promise<void> {
  const server: FileServer = { root: { realRoot: await realpath(directory), hidden, maxPathDepth }, cache: new FileCache(), pages };
  for (const route of ROUTES) router.on(route.method, route.pattern, bind(server, route));
}

function bind(server: FileServer, route: FileRoute): Handler {
  const { handler, changes = false } = route;
  if (!changes) {
    return (req, res) => {
      guardBody(req);
      return handler(server, req, res);
    };
  }
  return async (req, res) => {
    guardBody(req);
    try {
      await handler(server, req, res);
    } finally {
      server.cache.clear();
    }
  };
}

/**
 * Handlers await the filesystem before they read the body. If the client goes away meanwhile,
 * the connection destroys the body stream with an error; a listener from the start keeps that
 * from being an uncaught 'error' event (readers still see the error).
 */
function guardBody(req: Request): void {
  if (req.hasBody) req.body.on('error', ignore);
}

function ignore(): void {}

/** The name under /files/ the request is about, still unchecked. */
function requestName(req: Request): string {
  return req.params['*'] ?? '';
}

/** GET and HEAD: a file, a directory listing or search, or a redirect to the listing's "/" form. */
async function get({ root, cache, pages }: FileServer, req: Request, res: Response): Promise<void> {
  const key = requestName(req);
  const now = Date.now();
  const hit = cache.fresh(key, now);
  if (hit !== undefined) {
    const sent = sendCached(req, res, hit);
    if (sent === true) return;
    if (sent !== false) return sent;
  }
  const generation = cache.generation;
  const name = parseFileName(key, root.hidden);
  const { real, exists } = await locate(root.realRoot, name.segments, root.hidden);
  if (!exists) {
    if (pages.spa && acceptsHtml(req.header('accept')) && (await servePage(root, cache, req, res, []))) return;
    throw new HttpError(404, 'Not Found');
  }
  const info = await stat(real).catch((error: unknown) => {
    throw fsError(error);
  });
  if (info.isDirectory()) {
    if (!name.directory) return redirect(req, res, `${req.path}/`);
    const qr = qrText(req.query);
    if (qr !== null) return sendQrCode(res, qr);
    const term = searchTerm(req.query);
    if (term !== null) return sendSearch(req, res, real, name.segments, term, root.hidden);
    if (pages.index && !wantsJson(req.header('accept')) && (await servePage(root, cache, req, res, name.segments))) return;
    const entries = await readListing(real, root.realRoot, root.hidden).catch((error: unknown) => {
      throw fsError(error);
    });
    return sendListing(req, res, name.segments, entries);
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

function store({ root }: FileServer, req: Request, res: Response): Promise<void> {
  return storeFile(root, req, res, parseFileName(requestName(req), root.hidden));
}

function remove({ root }: FileServer, req: Request, res: Response): Promise<void> {
  return deleteFile(root, req, res, parseFileName(requestName(req), root.hidden));
}

function options(_server: FileServer, _req: Request, res: Response): void {
  res.status = 204;
  res.setHeader('Allow', ALLOW);
  res.end();
}

/** 301 to `location` (the request's own path, so still percent-encoded), keeping the query. */
function redirect(req: Request, res: Response, location: string): void {
  res.status = 301;
  res.setHeader('Location', req.query === '' ? location : `${location}?${req.query}`);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('Moved Permanently\n');
}
