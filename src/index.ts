// Public API of wirehttp. Everything a library user needs is exported here and nowhere else.
import type { ServerOptions } from './server/config.js';
import type { Handler } from './server/handler.js';
import { HttpServer } from './server/server.js';

export { HttpError } from './protocol/http-error.js';
export { Router, sendText } from './api/router.js';
export { serve, type FetchHandler, type ServeInfo, type ServeOptions } from './api/fetch/serve.js';
export { DEFAULT_SERVER_OPTIONS, type ResponseRecord, type ServerOptions } from './server/config.js';
export type { Handler } from './server/handler.js';
export { BodyTooLargeError, type Request } from './server/request.js';
export type { Response, Body } from './server/response.js';
export { HttpServer, type ListenOptions, type ListeningAddress } from './server/server.js';
export type { UpgradeListener, UpgradeRequest } from './server/upgrade.js';
export { guardUpgrade, type HandlerWrapper } from './api/upgrade-guard.js';

/** Creates a server that calls `handler` for each request. Call `listen()` to start it. */
export function createServer(handler: Handler, options: Partial<ServerOptions> = {}): HttpServer {
  return new HttpServer(handler, options);
}
