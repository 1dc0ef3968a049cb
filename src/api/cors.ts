// Cross-origin resource sharing, opt-in: lets pages from the listed origins read responses
// (and, with `write`, make changes).
import type { Request } from '../server/request.js';
import type { Response } from '../server/response.js';
import { HttpError } from '../protocol/http-error.js';
import { isSafeMethod, type Middleware } from './middleware.js';
import { normalizeOrigin } from './origin-guard.js';
import { sendText } from './router.js';

export interface CorsOptions {
  /** Origins ("https://app.example.com") whose pages may read responses, or "*" for any. */
  origins: readonly string[] | '*';
  /** Also allow methods other than GET, HEAD and OPTIONS (default false). */
  write?: boolean;
  /** How long browsers may cache a preflight answer, in seconds (default 600). */
  maxAge?: number;
}

/** Response headers a cross-origin page may read beyond the CORS-safelisted ones. */
const EXPOSED = 'ETag, Content-Range, Accept-Ranges, Content-Encoding, Location, Retry-After, WWW-Authenticate';

/**
 * Answers preflights (`OPTIONS` with `Access-Control-Request-Method`) from allowed origins and
 * adds `Access-Control-Allow-Origin` to their other responses. Requests from other origins get
 * no CORS header at all. With a list of origins every response carries `Vary: Origin`, so a
 * cache never hands one origin's answer to another. Handlers should append to `Vary`
 * (`appendHeader`) rather than set it.
 */
export function cors(options: CorsOptions): Middleware {
  const any = options.origins === '*';
  const origins = new Set(options.origins === '*' ? [] : options.origins.map(normalizeOrigin));
  const write = options.write ?? false;
  const maxAge = String(options.maxAge ?? 600);
  const allows = (method: string): boolean => write || isSafeMethod(method);

  const addHeaders = (res: Response, origin: string): void => {
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED);
  };

  return (next) => {
    const pass = async (req: Request, res: Response, origin: string): Promise<void> => {
      try {
        await next(req, res);
      } catch (error) {
        // The server would answer a thrown HttpError with fresh headers, dropping ours: the page
        // would see a network error instead of the status.
        if (!(error instanceof HttpError) || res.headersSent || res.finished) throw error;
        res.status = error.status;
        for (const name of ['Content-Type', 'Content-Length', 'ETag', 'Last-Modified', 'Content-Encoding']) res.removeHeader(name);
        addHeaders(res, origin);
        sendText(res, error.status, `${error.message}\n`);
      }
    };
    return (req, res) => {
      if (!any) res.appendHeader('Vary', 'Origin');
      const origin = req.header('origin');
      if (origin === undefined || !(any || origins.has(origin.toLowerCase()))) return next(req, res);
      const requested = req.method === 'OPTIONS' ? req.header('access-control-request-method') : undefined;
      if (requested !== undefined) {
        if (!allows(requested)) return sendText(res, 403, `Forbidden: ${requested} is not allowed from other origins\n`);
        addHeaders(res, origin);
        res.setHeader('Access-Control-Allow-Methods', requested);
        const headers = req.header('access-control-request-headers');
        if (headers !== undefined) res.setHeader('Access-Control-Allow-Headers', headers);
        res.setHeader('Access-Control-Max-Age', maxAge);
        res.status = 204;
        return res.end();
      }
      if (!allows(req.method)) return next(req, res);
      addHeaders(res, origin);
      return pass(req, res, origin);
    };
  };
}
