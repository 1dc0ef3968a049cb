// Logins (HTTP Basic) and per-path access rules in front of a handler.
import type { Handler } from '../server/handler.js';
import type { Request } from '../server/request.js';
import type { Response } from '../server/response.js';
import { AccessRules, grants, pathSegments, type Need } from './access-rules.js';
import { Credentials } from './credentials.js';
import { LoginThrottle, type ThrottleOptions } from './login-throttle.js';
import { isSafeMethod, type Middleware } from './middleware.js';
import { sendText } from './router.js';

/** The answer to "may this requester do this here?": `login` is 401, `deny` is 403. */
export type Verdict = 'allow' | 'login' | 'deny';

export interface BasicAuthOptions {
  /** Rules such as "alice:$2y$05$...@/:rw" or "@/public:ro" (see the README); or rules parsed already. */
  rules: readonly string[] | AccessRules;
  /** Realm announced in WWW-Authenticate (default "wirehttp"). */
  realm?: string;
  /**
   * `request` (default): the middleware checks each request's own path, percent-decoded;
   * GET, HEAD and OPTIONS need read access, every other method write access.
   * `handler`: the middleware only logs users in; the handler calls `check()` with the paths
   * it really touches (a file server whose rule paths are not URL paths, or listings).
   */
  paths?: 'request' | 'handler';
  /** Failed-login throttle (default: 10 failures per minute per client address). */
  throttle?: ThrottleOptions;
  /** The client address the throttle counts by (default: the connection's peer). */
  clientAddress?: (req: Request) => string;
}

export interface BasicAuth extends Middleware {
  /** The user `req` logged in as (null: anonymous); valid once the middleware has run. */
  user(req: Request): string | null;
  /** May `user` do `need` at `path` (decoded, "/"-separated, relative to the rules' root)? */
  check(user: string | null, path: string, need: Need): Verdict;
  /** Ends `res` with the answer for a refusal: 401 with a Basic challenge, or 403. */
  refuse(res: Response, verdict: Exclude<Verdict, 'allow'>): void;
  readonly rules: AccessRules;
}

/**
 * HTTP Basic logins with per-path rules. Credentials that do not match answer 401 and count
 * against the client's address; after too many, attempts answer 429 with Retry-After (checked
 * before the password, so guessing stops, while a correct login costs nothing extra).
 */
export function basicAuth(options: BasicAuthOptions): BasicAuth {
  const rules = options.rules instanceof AccessRules ? options.rules : new AccessRules(options.rules);
  const credentials = new Credentials(rules.logins);
  const throttle = new LoginThrottle(options.throttle);
  const clientAddress = options.clientAddress ?? ((req: Request) => req.remoteAddress);
  const challenge = `Basic realm="${(options.realm ?? 'wirehttp').replace(/["\\]/g, '')}", charset="UTF-8"`;
  const users = new WeakMap<Request, string>();
  const checkRequests = (options.paths ?? 'request') === 'request';

  const check = (user: string | null, path: string, need: Need): Verdict => {
    const segments = pathSegments(path);
    const access = segments === null ? 'none' : need === 'write-tree' ? rules.treeAccessAt(user, segments) : rules.accessAt(user, segments);
    if (grants(access, need)) return 'allow';
    // A login can only help when there are logins; a read-only server just says no.
    return user === null && rules.logins.size > 0 ? 'login' : 'deny';
  };

  const refuse = (res: Response, verdict: Exclude<Verdict, 'allow'>): void => {
    if (verdict === 'deny') return sendText(res, 403, 'Forbidden\n');
    res.setHeader('WWW-Authenticate', challenge);
    sendText(res, 401, 'Unauthorized\n');
  };

  const authorize = (req: Request, res: Response, next: Handler, user: string | null): void | Promise<void> => {
    if (user !== null) users.set(req, user);
    if (!checkRequests) return next(req, res);
    const path = decodePath(req.path);
    if (path === null) return sendText(res, 400, 'Invalid path\n');
    const verdict = check(user, path, isSafeMethod(req.method) ? 'read' : 'write');
    return verdict === 'allow' ? next(req, res) : refuse(res, verdict);
  };

  const middleware: Middleware = (next) => (req, res) => {
    const authorization = req.header('authorization');
    // Without logins there is nobody to be: the header is ignored, as any server without auth does.
    if (authorization === undefined || rules.logins.size === 0) return authorize(req, res, next, null);
    const client = clientAddress(req);
    const wait = throttle.retryAfter(client);
    if (wait > 0) {
      res.setHeader('Retry-After', wait);
      return sendText(res, 429, 'Too many failed logins; try again later\n');
    }
    return credentials.verify(authorization).then((user) => {
      if (user !== null) return authorize(req, res, next, user);
      throttle.fail(client);
      refuse(res, 'login');
    });
  };

  return Object.assign(middleware, {
    user: (req: Request) => users.get(req) ?? null,
    check,
    refuse,
    rules,
  });
}

/** The request path percent-decoded as a whole (as the router's "*" does); null when malformed. */
function decodePath(raw: string): string | null {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}
