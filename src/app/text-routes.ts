import { gzipSync } from 'node:zlib';
import type { Request, Response, Router } from '../index.js';
import { negotiateEncoding } from './files/index.js';

const TEXT_CODINGS = ['gzip'];

/** Sends a short text body, gzip-compressed when the client accepts it. */
function sendNegotiatedText(req: Request, res: Response, text: string): void {
  res.setHeader('Content-Type', 'text/plain');
  res.appendHeader('Vary', 'Accept-Encoding');
  if (negotiateEncoding(req.header('accept-encoding'), TEXT_CODINGS) === 'gzip') {
    res.setHeader('Content-Encoding', 'gzip');
    res.end(gzipSync(text));
    return;
  }
  res.end(text);
}

/** The original challenge's text routes: `/echo/{text}` and `/user-agent` (`/` is front-door.ts). */
export function addTextRoutes(router: Router): void {
  router.get('/echo/:text', (req, res) => sendNegotiatedText(req, res, req.params['text'] ?? ''));
  router.get('/user-agent', (req, res) => sendNegotiatedText(req, res, req.header('user-agent') ?? ''));
}
