import { open, realpath, stat } from 'node:fs/promises';
import { HttpError, type Handler, type Request, type Response, type Router } from '../index.js';
import { isCompressible } from './content-coding.js';
import { FileCache, type CachedFile } from './file-cache.js';
import { OPEN_FLAGS, sendBytes, serveFile, setFileHeaders } from './file-read.js';
import { deleteFile, storeFile, type FileRoot } from './file-write.js';
import { fsError } from './fs-errors.js';
import { readListing, sendListing } from './listing.js';
import { locate, parseFileName } from './safe-path.js';
import { evaluatePreconditions } from './validators.js';

/** Methods `/files/*` answers; the router sends 405 with the same list for any other. */
const ALLOW = 'GET, HEAD, PUT, POST, DELETE, OPTIONS';

/** The file server under `/files/`: download, list, upload, create folders, delete. */
export async function addFileRoutes(router: Router, directory: string, hidden: boolean): Promise<void> {
  const root: FileRoot = { realRoot: await realpath(directory), hidden };
  const cache = new FileCache();
  /** Any change through the server is visible to the very next read. */
  const changing =
    (handler: Handler): Handler =>
    async (req, res) => {
      try {
        await handler(req, res);
      } finally {
        cache.clear();
      }
    };
  router.get('/files', (req, res) => redirect(req, res, '/files/'));
  router.get('/files/*', guardBody((req, res) => get(root, cache, req, res)));
  router.put('/files/*', guardBody(changing((req, res) => storeFile(root, req, res, parseFileName(req.params['*']!, hidden)))));
  router.post('/files/*', guardBody(changing((req, res) => storeFile(root, req, res, parseFileName(req.params['*']!, hidden)))));
  router.delete('/files/*', guardBody(changing((req, res) => deleteFile(root, req, res, parseFileName(req.params['*']!, hidden)))));
  router.options('/files/*', (_req, res) => {
    res.status = 204;
    res.setHeader('Allow', ALLOW);
    res.end();
  });
}

/**
 * These handlers await the filesystem before they read the body. If the client goes away
 * meanwhile, the connection destroys the body stream with an error; a listener from the start
 * keeps that from being an uncaught 'error' event (readers still see the error).
 */
function guardBody(handler: Handler): Handler {
  return (req, res) => {
    if (req.hasBody) req.body.on('error', ignore);
    return handler(req, res);
  };
}

function ignore(): void {}

/** GET and HEAD: a file, a directory listing, or a redirect to the listing's "/" form. */
async function get(root: FileRoot, cache: FileCache, req: Request, res: Response): Promise<void> {
  const key = req.params['*']!;
  const now = Date.now();
  const hit = cache.fresh(key, now);
  if (hit !== undefined && servedAsIs(req, hit)) return sendCached(req, res, hit);
  const generation = cache.generation;
  const name = parseFileName(key, root.hidden);
  const { real, exists } = await locate(root.realRoot, name.segments, root.hidden);
  if (!exists) throw new HttpError(404, 'Not Found');
  const info = await stat(real).catch((error: unknown) => {
    throw fsError(error);
  });
  if (info.isDirectory()) {
    if (!name.directory) return redirect(req, res, `${req.path}/`);
    const entries = await readListing(real, root.realRoot, root.hidden).catch((error: unknown) => {
      throw fsError(error);
    });
    return sendListing(req, res, name.segments, entries);
  }
  if (!info.isFile() || name.directory) throw new HttpError(404, 'Not Found');
  const handle = await open(real, OPEN_FLAGS).catch((error: unknown) => {
    throw fsError(error);
  });
  await serveFile(req, res, name.segments.at(-1)!, real, handle, { cache, key, generation, now });
}

/**
 * True when the full path would answer with the whole file, unencoded: no range asked for,
 * and no content coding possible for its type or wanted by the client.
 */
function servedAsIs(req: Request, file: CachedFile): boolean {
  if (req.header('range') !== undefined) return false;
  return !isCompressible(file.contentType) || req.header('accept-encoding') === undefined;
}

/** Answers GET or HEAD from memory, with the same headers and preconditions as from disk. */
function sendCached(req: Request, res: Response, file: CachedFile): void | Promise<void> {
  setFileHeaders(res, file.contentType, file.etag, file.lastModified);
  const precondition = evaluatePreconditions(req, file);
  if (precondition !== 'proceed') {
    res.status = precondition === 'not-modified' ? 304 : 412;
    return res.end();
  }
  return sendBytes(res, file.body);
}

/** 301 to `location` (the request's own path, so still percent-encoded), keeping the query. */
function redirect(req: Request, res: Response, location: string): void {
  res.status = 301;
  res.setHeader('Location', req.query === '' ? location : `${location}?${req.query}`);
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end('Moved Permanently\n');
}
