// Refuses state-changing requests that a browser made on behalf of another site's page
// (cross-site request forgery), using what the browser itself reports: Sec-Fetch-Site and Origin.
import type { Request } from '../server/request.js';
import { isSafeMethod, type Middleware } from './middleware.js';
import { sendText } from './router.js';

export interface OriginGuardOptions {
  /** Other origins ("https://app.example.com") allowed to make unsafe requests, or "*". */
  allow?: readonly string[] | '*';
  /**
   * The scheme clients use to reach this server. When given, an Origin with another scheme is
   * refused; leave it out behind a proxy that terminates TLS, where the server cannot know.
   */
  scheme?: 'http' | 'https';
}

/**
 * For any method but GET, HEAD and OPTIONS, and for upgrades (WebSocket handshakes): 403 when
 * `Sec-Fetch-Site` is `cross-site` or `same-site`, or when `Origin` is not the request's own
 * scheme, host and port (`Origin: null` included) — unless the origin is allowed. Requests with
 * neither header (curl, scripts) pass: browsers always send them on unsafe requests and
 * handshakes.
 */
export function originGuard(options: OriginGuardOptions = {}): Middleware {
  const allowAll = options.allow === '*';
  const allowed = new Set(options.allow === '*' ? [] : (options.allow ?? []).map(normalizeOrigin));
  const scheme = options.scheme;
  return (next) => (req, res) => {
    // A WebSocket handshake is a GET, but no same-origin rule guards what follows: any page
    // may open one and read every message, so an upgrade is checked as an unsafe request is.
    // `req.upgrade` is the parser's flag: looking the field up instead cost every GET ~180
    // instructions (CLI pipelined, bench/instructions.mjs: 11,250 → 11,434; the flag: 11,179).
    if (isSafeMethod(req.method) && !req.upgrade) return next(req, res);
    const origin = req.header('origin');
    if (origin !== undefined && origin !== 'null' && (allowAll || allowed.has(origin.toLowerCase()))) return next(req, res);
    const site = req.header('sec-fetch-site');
    if (site === 'cross-site' || site === 'same-site' || (origin !== undefined && !isOwnOrigin(req, origin, scheme))) {
      return sendText(res, 403, 'Forbidden: cross-site request refused\n');
    }
    return next(req, res);
  };
}

/** Checks and normalizes an origin given by the user ("https://Example.com/" → "https://example.com"). */
export function normalizeOrigin(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`not an origin (scheme://host[:port]): "${text}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '' || url.username !== '') {
    throw new TypeError(`not an origin (scheme://host[:port]): "${text}"`);
  }
  return url.origin;
}

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };

/** True when `origin` is scheme://host:port of the request itself, as its Host header names it. */
function isOwnOrigin(req: Request, origin: string, scheme: 'http' | 'https' | undefined): boolean {
  const host = req.header('host');
  if (host === undefined) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (scheme !== undefined && url.protocol !== `${scheme}:`) return false;
  const defaultPort = DEFAULT_PORT[url.protocol];
  if (defaultPort === undefined) return false;
  // Compare as the origin serializes its authority: no port when it is the scheme's default.
  let own = host.toLowerCase();
  if (own.endsWith(`:${defaultPort}`)) own = own.slice(0, -defaultPort.length - 1);
  return url.host === own;
}
