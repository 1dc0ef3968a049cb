import { DEFAULT_SERVER_OPTIONS, Router, type BasicAuth } from '../index.js';
import { addFileRoutes, readableUnder, type ReadCheck } from './files/index.js';
import { addFrontDoor } from './front-door.js';
import { addTextRoutes } from './text-routes.js';

export { accessNeed, discardUploadsInFlight, parseDestination, removeStaleUploads, tusAnswers } from './files/index.js';

export interface AppOptions {
  /** Directory served under /files/; without it /files/... answers 404. */
  directory?: string;
  /** Serve and list dot-files (names starting with "."); off by default, they answer 404. */
  hidden?: boolean;
  /** Most path segments a PUT or POST may name, folders created on the way included (414 beyond); 64 by default. */
  maxPathDepth?: number;
  /** A folder with an index.html serves it instead of its listing. */
  index?: boolean;
  /** Names that do not exist answer browsers with the served directory's index.html (single-page apps). */
  spa?: boolean;
  /** Largest resumable upload accepted (Upload-Length); the server's body limit is the natural choice. */
  maxUploadBytes?: number;
  /**
   * Access rules for what the server reads on a client's behalf beyond the request's own path:
   * whether `req` may read the file or enter the folder at `path` (relative to the served
   * directory). Folder archives include only what passes. Default: everything.
   */
  readable?: ReadCheck;
  /**
   * Access rules for the names a request reaches beyond its own URL (a rename's target) and for
   * listings, which show only what the requester may open. The URL itself is checked in front
   * of the app (the CLI's files-access middleware).
   */
  access?: BasicAuth;
}

/** The built-in application: the challenge's routes plus the file server. */
export async function createApp(options: AppOptions): Promise<Router> {
  const router = new Router();
  addFrontDoor(router, options.directory !== undefined);
  addTextRoutes(router);
  if (options.directory !== undefined) {
    const access = options.access ?? null;
    await addFileRoutes(
      router,
      options.directory,
      options.hidden ?? false,
      {
        maxPathDepth: options.maxPathDepth ?? 64,
        pages: { index: options.index ?? false, spa: options.spa ?? false },
        maxUploadBytes: options.maxUploadBytes ?? DEFAULT_SERVER_OPTIONS.maxBodyBytes,
        readable: options.readable ?? (access === null ? () => true : readableUnder(access)),
      },
      access,
    );
  }
  const allow =
    options.directory !== undefined
      ? 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK'
      : 'GET, HEAD, OPTIONS';
  router.options('*', (_req, res) => {
    res.status = 204;
    res.setHeader('Allow', allow);
    res.end();
  });
  return router;
}
