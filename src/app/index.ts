import { Router, type BasicAuth } from '../index.js';
import { addFileRoutes } from './files/index.js';
import { addFrontDoor } from './front-door.js';
import { addTextRoutes } from './text-routes.js';

export { discardUploadsInFlight, parseDestination, removeStaleUploads } from './files/index.js';

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
    await addFileRoutes(router, options.directory, options.hidden ?? false, options.maxPathDepth ?? 64, {
      index: options.index ?? false,
      spa: options.spa ?? false,
    }, options.access ?? null);
  }
  const allow =
    options.directory !== undefined
      ? 'GET, HEAD, POST, PUT, DELETE, OPTIONS, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK'
      : 'GET, HEAD, OPTIONS';
  router.options('*', (_req, res) => {
    res.status = 204;
    res.setHeader('Allow', allow);
    res.end();
  });
  return router;
}
