// Public API of wirehttp. Everything a library user needs is exported here and nowhere else.
import type { ServerOptions } from './server/config.js';
import type { Handler } from './server/handler.js';
import { HttpServer } from './server/server.js';

export { AccessRules, RuleError, type Access, type Need } from './api/access-rules.js';
export { basicAuth, type BasicAuth, type BasicAuthOptions, type Verdict } from './api/basic-auth.js';
export { cors, type CorsOptions } from './api/cors.js';
export { hostGuard, isLoopbackHost, type HostGuardOptions } from './api/host-guard.js';
export { HttpError } from './protocol/http-error.js';
export type { ThrottleOptions } from './api/login-throttle.js';
export type { Middleware } from './api/middleware.js';
export { originGuard, type OriginGuardOptions } from './api/origin-guard.js';
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
