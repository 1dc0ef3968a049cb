import type { Handler } from '../server/handler.js';
import type { Request } from '../server/request.js';
import type { Response } from '../server/response.js';

interface Route {
  method: string;
  /** Literal segments, ":name" parameters, or a final "*" for the rest of the path. */
  segments: string[];
  /** The pattern's literal text before its first parameter: a cheap first filter. */
  prefix: string;
  /** True when the pattern has no parameters: it matches only its own text. */
  literal: boolean;
  /** For "prefix/:name" patterns, the one parameter's name: matched without splitting. */
  lastParam: string | null;
  handler: Handler;
}

/**
 * One method's routes, for the first look at a request: its literal routes by path, the others
 * in the order they were added. `rank` numbers every route in the order of `on` calls, so the
 * first route added still wins when a literal and a pattern both match.
 */
interface MethodRoutes {
  literal: Map<string, { route: Route; rank: number }>;
  patterned: { route: Route; rank: number }[];
}

/**
 * A small router. Patterns are made of literal segments, `:name` parameters (one segment)
 * and a final `*` (the rest of the path, in `params['*']`). Parameters are percent-decoded.
 * The pattern "*" alone matches the asterisk-form target of `OPTIONS *`.
 * A GET route also answers HEAD. A path that exists with another method gets 405 with Allow;
 * an unknown path gets 404.
 */
export class Router {
  private readonly routes: Route[] = [];
  private readonly byMethod = new Map<string, MethodRoutes>();
  private fallback: Handler = (_req, res) => sendText(res, 404, 'Not Found');

  on(method: string, pattern: string, handler: Handler): this {
    if (pattern === '*') {
      // The asterisk-form target of "OPTIONS *", which asks about the server as a whole.
      this.add({ method: method.toUpperCase(), segments: [], prefix: '*', literal: true, lastParam: null, handler });
      return this;
    }
    if (!pattern.startsWith('/')) throw new TypeError(`Route pattern must start with "/" (or be "*"): ${pattern}`);
    const segments = pattern.split('/').slice(1);
    const star = segments.indexOf('*');
    if (star >= 0 && star !== segments.length - 1) throw new TypeError(`"*" must end the pattern: ${pattern}`);
    const firstParam = segments.findIndex((segment) => segment === '*' || segment.startsWith(':'));
    const literal = firstParam < 0;
    const prefix = literal ? pattern : `/${segments.slice(0, firstParam).map((segment) => `${segment}/`).join('')}`;
    const last = segments[segments.length - 1];
    const lastParam = firstParam === segments.length - 1 && last !== undefined && last.startsWith(':') ? last.slice(1) : null;
    this.add({ method: method.toUpperCase(), segments, prefix, literal, lastParam, handler });
    return this;
  }

  private add(route: Route): void {
    const rank = this.routes.push(route);
    let routes = this.byMethod.get(route.method);
    if (routes === undefined) this.byMethod.set(route.method, (routes = { literal: new Map(), patterned: [] }));
    if (!route.literal) routes.patterned.push({ route, rank });
    else if (!routes.literal.has(route.prefix)) routes.literal.set(route.prefix, { route, rank });
  }

  get(pattern: string, handler: Handler): this {
    return this.on('GET', pattern, handler);
  }
  head(pattern: string, handler: Handler): this {
    return this.on('HEAD', pattern, handler);
  }
  post(pattern: string, handler: Handler): this {
    return this.on('POST', pattern, handler);
  }
  put(pattern: string, handler: Handler): this {
    return this.on('PUT', pattern, handler);
  }
  delete(pattern: string, handler: Handler): this {
    return this.on('DELETE', pattern, handler);
  }
  options(pattern: string, handler: Handler): this {
    return this.on('OPTIONS', pattern, handler);
  }
  /** Handles requests no route matches (default: 404). */
  notFound(handler: Handler): this {
    this.fallback = handler;
    return this;
  }

  /** The router as a server handler. */
  readonly handle: Handler = (req, res) => {
    const path = req.path;
    const method = req.method;
    // First only the routes of the request's method: a file download then no longer matches
    // and decodes its path against every WebDAV route of /files/* before its own (a table
    // shaped like the CLI's, GET /files/some%20folder/report.pdf: 1,755 -> 220 ns; /echo/hello
    // 57 -> 62 ns; a loop of handle() calls with an empty handler, medians of 3). A miss (404,
    // 405, HEAD answered by GET, a malformed escape) takes the full scan below.
    const own = this.byMethod.get(method);
    if (own !== undefined) {
      const literal = own.literal.get(path);
      for (const { route, rank } of own.patterned) {
        if (literal !== undefined && rank > literal.rank) break;
        if (!path.startsWith(route.prefix)) continue;
        const params = route.lastParam !== null ? matchLastParam(route.lastParam, route.prefix.length, path) : matchPath(route.segments, path);
        if (params === null) continue;
        if (params === MALFORMED) break;
        req.params = params;
        return route.handler(req, res);
      }
      if (literal !== undefined) {
        req.params = {};
        return literal.route.handler(req, res);
      }
    }
    return this.search(req, res, path, method);
  };

  /** Every route in order: the method's own routes missed, so this finds the 405, HEAD or 404. */
  private search(req: Request, res: Response, path: string, method: string): void | Promise<void> {
    let allowed: Set<string> | null = null;
    let headFallback: { route: Route; params: Record<string, string> } | null = null;
    for (const route of this.routes) {
      if (route.literal ? path !== route.prefix : !path.startsWith(route.prefix)) continue;
      const params = route.literal
        ? {}
        : route.lastParam !== null
          ? matchLastParam(route.lastParam, route.prefix.length, path)
          : matchPath(route.segments, path);
      if (params === null) continue;
      if (params === MALFORMED) return sendText(res, 400, 'Malformed percent-encoding in path');
      if (route.method === method) {
        req.params = params;
        return route.handler(req, res);
      }
      if (route.method === 'GET' && method === 'HEAD' && headFallback === null) headFallback = { route, params };
      (allowed ??= new Set()).add(route.method);
    }
    if (headFallback !== null) {
      req.params = headFallback.params;
      return headFallback.route.handler(req, res);
    }
    if (allowed !== null) {
      if (allowed.has('GET')) allowed.add('HEAD');
      res.setHeader('Allow', [...allowed].join(', '));
      return sendText(res, 405, 'Method Not Allowed');
    }
    return this.fallback(req, res);
  }
}

const MALFORMED: Record<string, string> = Object.freeze({});

/** Matches "prefix/:name" once the prefix is known to match: one non-empty final segment. */
function matchLastParam(name: string, at: number, path: string): Record<string, string> | null {
  if (path.length === at || path.indexOf('/', at) >= 0) return null;
  const value = decode(path.slice(at));
  if (value === null) return MALFORMED;
  // Assigned, not a computed literal key: V8 then reuses one hidden class for every match
  // (making and reading one: 33-49 ns instead of 116-153 ns, bench/fast-paths.mjs).
  const params: Record<string, string> = {};
  params[name] = value;
  return params;
}

/** Matches a raw (percent-encoded) path; null when it does not match, MALFORMED on bad escapes. */
function matchPath(segments: readonly string[], path: string): Record<string, string> | null {
  let params: Record<string, string> | null = null;
  let at = 1; // after the leading "/"
  for (const segment of segments) {
    if (segment === '*') {
      const rest = decode(path.slice(at));
      if (rest === null) return MALFORMED;
      (params ??= {})['*'] = rest;
      return params;
    }
    if (at > path.length) return null;
    let end = path.indexOf('/', at);
    if (end < 0) end = path.length;
    const raw = path.slice(at, end);
    if (segment.charCodeAt(0) === 0x3a /* : */) {
      if (raw === '') return null;
      const value = decode(raw);
      if (value === null) return MALFORMED;
      (params ??= {})[segment.slice(1)] = value;
    } else if (raw !== segment) {
      return null;
    }
    at = end + 1;
  }
  return at > path.length ? (params ?? {}) : null;
}

function decode(raw: string): string | null {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** Ends `res` with a short plain-text body. */
export function sendText(res: Response, status: number, text: string): void {
  res.status = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(text);
}

export type { Request, Response };
