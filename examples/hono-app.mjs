// A Hono app on wirehttp: the same code runs on @hono/node-server with its `serve` import.
//   node examples/hono-app.mjs   then   curl http://localhost:3000/hello/Ada
import { Hono } from 'hono';
import { serve } from 'wirehttp';

const app = new Hono();
app.get('/hello/:name', (c) => c.json({ hello: c.req.param('name') }));
// serve() passes { remoteAddress, httpVersion } as the second argument, which Hono makes c.env.
app.get('/ip', (c) => c.text(c.env.remoteAddress));
app.post('/echo', async (c) => c.json(await c.req.json()));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) }, (address) => {
  console.error(`listening on ${address.host}:${address.port}`);
});
process.once('SIGTERM', () => server.close(5_000));
