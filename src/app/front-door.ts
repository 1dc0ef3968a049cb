import type { Router } from '../index.js';
import { acceptsHtml } from './files/index.js';

/**
 * What a browser finds at the server's front door. A request that asks for HTML at `/` is sent
 * to the file listing (or, without --directory, told how to get one); every other client gets
 * the challenge's empty 200, byte for byte as before. `/favicon.ico` is a small inline SVG, so
 * no page load logs a 404.
 */
export function addFrontDoor(router: Router, hasFiles: boolean): void {
  router.get('/', (req, res) => {
    if (!acceptsHtml(req.header('accept'))) {
      res.end();
      return;
    }
    res.setHeader('Vary', 'Accept');
    res.setHeader('Cache-Control', 'no-cache');
    if (hasFiles) {
      res.status = 302;
      res.setHeader('Location', '/files/');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end('<!doctype html><title>wirehttp</title><a href="/files/">Files</a>\n');
      return;
    }
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(NO_FILES_PAGE);
  });
  router.get('/favicon.ico', (_req, res) => {
    res.setHeader('Content-Type', 'image/svg+xml');
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.end(FAVICON);
  });
}

/** The brand's server icon, in the listing's accent colour. */
export const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#2457d6" fill-rule="evenodd" d="M4 4.5A1.5 1.5 0 0 1 5.5 3h13A1.5 1.5 0 0 1 20 4.5v5a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 9.5zm0 10A1.5 1.5 0 0 1 5.5 13h13a1.5 1.5 0 0 1 1.5 1.5v5a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 19.5zM7 6v2h2V6zm0 10v2h2v-2z"/></svg>\n';

const NO_FILES_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>wirehttp</title><link rel="icon" href="/favicon.ico">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#1f2328}@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}}code{font-size:.95em}</style>
</head><body><h1>wirehttp is running</h1>
<p>No folder is shared. Start it with <code>--directory DIR</code> to browse, upload and download the files of DIR here.</p>
</body></html>
`;
