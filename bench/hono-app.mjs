// The small Hono app of the `hono` scenario (a JSON route with a parameter, a text route, a
// 4 KiB static file), shared by bench/reference-hono.mjs (wrk) and bench/instructions.mjs
// (instruction counts), so both measure the same app.
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';

/** The app, serving `/hono/static/*` from `directory`. */
export function makeHonoApp(directory) {
  const app = new Hono();
  app.get('/hono/json/:id', (c) => c.json({ id: c.req.param('id'), ok: true }));
  app.get('/hono/text', (c) => c.text('hello'));
  app.use('/hono/static/*', serveStatic({ root: directory, rewriteRequestPath: (p) => p.slice('/hono/static'.length) }));
  return app;
}
