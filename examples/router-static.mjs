// A router with an API route and static files from ./public (or STATIC_DIR) under /static/.
//   node examples/router-static.mjs   then   curl http://localhost:3000/static/
import { createServer, Router, sendText } from 'wirehttp';
import { serveFiles } from 'wirehttp/files';

const router = new Router()
  .get('/api/time', (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ now: new Date().toISOString() }));
  })
  // Ranges, ETags, compression and listings; uploads stay off unless asked for.
  .get('/static/*', serveFiles(process.env.STATIC_DIR ?? './public'))
  .notFound((_req, res) => sendText(res, 404, 'Nothing here\n'));

const server = createServer(router.handle);
const [address] = await server.listen({ port: Number(process.env.PORT ?? 3000) });
console.error(`listening on ${address.host}:${address.port}`);
process.once('SIGTERM', () => server.close(5_000));
