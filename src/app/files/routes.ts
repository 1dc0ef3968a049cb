import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_SERVER_OPTIONS, HttpError, type BasicAuth, type Handler, type Request, type Response, type Router } from '../../index.js';
import { guardNames, readableUnder } from './access.js';
import { answeringLocked, DAV_METHODS, DavSpace, type FileSpace } from './dav/index.js';
import { FileCache } from './file-cache.js';
import type { FileServer, FolderPages, ReadCheck } from './file-server.js';
import type { FileRoot } from './file-write.js';
import { contentTypeFor } from './media-type.js';
import { mayOpen } from './may-open.js';
import { isShownName, METADATA_DIR, tempUploadName } from './names.js';
import { redirect } from './routes-read.js';
import { getOrAsk, options, removeOrTerminate, resumable, store, storeOrCreate } from './routes-write.js';
import { assertCreatable, locate, parseFileName } from './safe-path.js';
import { entityTag, evaluatePreconditions } from './validators.js';
import { fileServerTusHost } from './tus/host.js';
import { tusAnswers, uploadId } from './tus/routes.js';

/**
 * The file server's route table, and the two ways it is mounted: the CLI's `/files/` (with
 * WebDAV) and `serveFiles` for library users. The handlers live in routes-read.ts and
 * routes-write.ts, their shared shape in file-server.ts.
 */

export interface FileServerOptions {
  /** Most path segments a PUT or POST may name, folders created on the way included (414 beyond). */
  maxPathDepth: number;
  /** Largest resumable upload (Upload-Length); the server's body limit. */
  maxUploadBytes: number;
  readable: ReadCheck;
  pages: FolderPages;
}

export interface ServeFilesOptions {
  /** Serve and list dot-files (names starting with "."); default false: they answer 404. */
  hidden?: boolean;
  /** A directory URL ending in "/" answers its listing (HTML, or JSON when asked); default true. Off: 404. */
  listing?: boolean;
  /** PUT and POST store files (a name ending in "/" creates a folder), DELETE removes; default false (405, and the listing page offers no writing). */
  uploads?: boolean;
  /** Most path segments an upload may name, folders created on the way included (414 beyond); default 64. */
  maxPathDepth?: number;
  /** Largest resumable upload (Upload-Length, 413 beyond); default 64 MiB, the server's default body limit. */
  maxUploadBytes?: number;
  /** A folder URL whose folder holds an index.html serves that file instead of the listing (JSON listings stay); default false. */
  index?: boolean;
  /** A name that does not exist, asked for by a client that accepts HTML, gets the served directory's index.html with 200 (single-page apps); default false. */
  spa?: boolean;
  /**
   * Logins and per-path rules, from `basicAuth({ rules, paths: 'handler' })`: rule paths are
   * paths inside the served directory. Each request's name is checked (reads, listings, writes,
   * deletes of whole trees), and listings, searches and archives show only what the requester
   * may open. Default: none, everything the other options allow.
   */
  access?: BasicAuth;
}

/** As the CLI's --max-path-depth by default. */
const DEFAULT_MAX_PATH_DEPTH = 64;

type FileHandler = (server: FileServer, req: Request, res: Response) => void | Promise<void>;

/** One route of the file server. */
interface FileRoute {
  method: string;
  pattern: string;
  handler: FileHandler;
  /** Writes or deletes: the cache is cleared afterwards, so the change shows to the very next read. */
  changes?: boolean;
}

/**
 * Every route of the file server, in the order the router tries them. A subsystem (WebDAV,
 * archives, resumable uploads) adds its rows here, with its handlers in its own folder.
 */
const ROUTES: readonly FileRoute[] = [
  { method: 'GET', pattern: '/files', handler: (_server, req, res) => redirect(req, res, '/files/') },
  { method: 'GET', pattern: '/files/*', handler: getOrAsk },
  { method: 'PUT', pattern: '/files/*', handler: answeringLocked(store), changes: true },
  { method: 'POST', pattern: '/files/*', handler: answeringLocked(storeOrCreate), changes: true },
  { method: 'PATCH', pattern: '/files/*', handler: resumable, changes: true },
  { method: 'DELETE', pattern: '/files/*', handler: removeOrTerminate, changes: true },
  { method: 'OPTIONS', pattern: '/files/*', handler: options },
];

/**
 * WebDAV (src/app/files/dav/): PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK and
 * DELETE (a folder with its content) on `/files/*`, and the reading ones on `/files` itself,
 * which clients that mount "http://host/files" ask about without the final "/" (Windows does).
 * `changes` marks the unsafe ones, as for the rows above.
 */
const DAV_ROUTES: readonly FileRoute[] = [
  ...DAV_METHODS.map(({ method, handler, changes }): FileRoute => ({ method, pattern: '/files/*', handler: (server, req, res) => withDav(server, req, res, handler), changes })),
  { method: 'OPTIONS', pattern: '/files', handler: options },
  ...DAV_METHODS.filter((row) => !row.changes).map(({ method, handler }): FileRoute => ({ method, pattern: '/files', handler: (server, req, res) => withDav(server, req, res, handler) })),
];

function withDav(server: FileServer, req: Request, res: Response, handler: (space: DavSpace, req: Request, res: Response) => Promise<void>): Promise<void> {
  if (server.dav === null) throw new HttpError(405, 'Method Not Allowed');
  // An upload URL (`folder/?upload=ID`) names a resumable upload, not a WebDAV resource:
  // DELETE there abandons the upload (tus termination).
  if (req.method === 'DELETE' && uploadId(req) !== null) return resumable(server, req, res);
  return handler(server.dav, req, res);
}

/**
 * The file server under `/files/`: download, list, upload, create folders, delete, and WebDAV.
 * The rows under `/files/*` are served by the same dispatcher `serveFiles` gives library users;
 * the WebDAV rows come first, so its DELETE is the one `/files/` answers.
 */
export async function addFileRoutes(router: Router, directory: string, hidden: boolean, options: FileServerOptions, access: BasicAuth | null): Promise<void> {
  const { maxPathDepth, pages } = options;
  const realRoot = await realpath(directory);
  const root: FileRoot = { realRoot, hidden, maxPathDepth, access, writes: true };
  const uploads = fileServerTusHost(root, options.maxUploadBytes);
  const space: FileSpace = {
    realRoot,
    prefix: '/files/',
    parseName: (name) => parseFileName(name, hidden),
    locate: (segments) => locate(realRoot, segments, hidden),
    visible: (name) => isShownName(name, hidden),
    mayOpen: (req, segments, collection) => mayOpen(root, req)(segments, collection ? 'directory' : 'file'),
    entityTag,
    contentType: contentTypeFor,
    preconditionsHold: (req, stats) =>
      evaluatePreconditions(req, stats === null ? null : { etag: entityTag(stats), mtimeMs: stats.mtimeMs }) === 'proceed',
    assertCreatable: (name) => {
      assertCreatable(realRoot, name, maxPathDepth);
    },
    tempPath: (dir) => path.join(dir, tempUploadName()),
  };
  const allow = `GET, HEAD, PUT, POST, PATCH, OPTIONS, ${DAV_METHODS.map((row) => row.method).join(', ')}`;
  const dav = new DavSpace(space, path.join(realRoot, METADATA_DIR));
  const server: FileServer = { root, cache: new FileCache(), pages, listing: true, allow, dav, uploads, readable: options.readable };
  for (const route of DAV_ROUTES) router.on(route.method, route.pattern, bind(server, route));
  const files = dispatcher(server, ROUTES.filter(underMount));
  for (const route of ROUTES) router.on(route.method, route.pattern, underMount(route) ? files : bind(server, route));
}

/**
 * The file server as one handler to mount on a route ending in `*`, e.g.
 * `router.get('/static/*', serveFiles('./public'))`: files with ranges, validators and
 * compression (precompressed siblings too), directory listings, and with `uploads` atomic
 * uploads and deletes — the rows of ROUTES under `/files/*`, with the mount's own path in
 * links and Location. Mounted without a router, the whole path is the name.
 */
export function serveFiles(directory: string, options: ServeFilesOptions = {}): Handler {
  const writes = options.uploads === true;
  const routes = ROUTES.filter((route) => underMount(route) && (route.changes !== true || writes));
  const hidden = options.hidden ?? false;
  const maxPathDepth = options.maxPathDepth ?? DEFAULT_MAX_PATH_DEPTH;
  const allow = methodsOf(routes).join(', ');
  const access = options.access ?? null;
  const pages: FolderPages = { index: options.index ?? false, spa: options.spa ?? false };
  let files: Handler | null = null;
  const ready = realpath(directory).then((realRoot) => {
    const root: FileRoot = { realRoot, hidden, maxPathDepth, access, writes };
    // Resumable uploads need the uploads switch like PUT (their POST and PATCH are writes).
    const uploads = fileServerTusHost(root, options.maxUploadBytes ?? DEFAULT_SERVER_OPTIONS.maxBodyBytes);
    const readable = access === null ? everything : readableUnder(access);
    const server: FileServer = { root, cache: new FileCache(), pages, listing: options.listing ?? true, allow, uploads, readable, dav: null };
    // Refusals by the access rules come before the tus handlers: tusAnswers marks them too.
    const guard = access === null ? null : (next: Handler) => tusAnswers(guardNames(access, hidden)(next));
    files = dispatcher(server, routes, guard);
    return files;
  });
  // A missing directory fails each request (500, reported), not the process.
  ready.catch(ignore);
  return (req, res) => (files === null ? ready.then((handler) => handler(req, res)) : files(req, res));
}

/** A library mount without access rules: archives hold everything shown. */
function everything(): boolean {
  return true;
}

/** Rows served relative to where the file server is mounted (the rest are the CLI's own). */
function underMount(route: FileRoute): boolean {
  return route.pattern === '/files/*';
}

/** The methods `routes` answer, HEAD with GET. */
function methodsOf(routes: readonly FileRoute[]): string[] {
  const methods = routes.map((route) => route.method);
  return methods.includes('GET') && !methods.includes('HEAD') ? ['GET', 'HEAD', ...methods.filter((m) => m !== 'GET')] : methods;
}

/**
 * One handler for `routes`, chosen by method (GET also answers HEAD); others get 405 with Allow.
 * `guard` (serveFiles' access rules) wraps each route, so a method not answered is 405 for all.
 */
function dispatcher(server: FileServer, routes: readonly FileRoute[], guard: ((next: Handler) => Handler) | null = null): Handler {
  const byMethod = new Map(routes.map((route) => [route.method, guard === null ? bind(server, route) : guard(bind(server, route))]));
  const get = byMethod.get('GET');
  if (get !== undefined && !byMethod.has('HEAD')) byMethod.set('HEAD', get);
  return (req, res) => {
    const handler = byMethod.get(req.method);
    if (handler !== undefined) return handler(req, res);
    res.status = 405;
    res.setHeader('Allow', server.allow);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Method Not Allowed\n');
  };
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

