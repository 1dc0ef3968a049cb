// wirehttp as a library, receiving uploads without storing them: the handler drains the body
// and answers 201 — the same work as `reference-node-http.mjs … drain`, so the pair compares
// the two servers' request-body paths alone. GETs of /echo/{text} answer the text.
// Usage: node bench/reference-library-drain.mjs PORT [LIBRARY_ENTRY]
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const port = Number(process.argv[2]);
const library = process.argv[3] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
const { createServer } = await import(pathToFileURL(library).href);

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.path.startsWith('/echo/')) {
    res.setHeader('Content-Type', 'text/plain');
    return res.end(decodeURIComponent(req.path.slice('/echo/'.length)));
  }
  if (req.method !== 'POST' && req.method !== 'PUT') {
    res.status = 404;
    return res.end();
  }
  return new Promise((resolve, reject) => {
    req.body.once('end', () => {
      res.status = 201;
      res.end();
      resolve();
    });
    req.body.once('error', reject);
    req.body.resume();
  });
});
await server.listen({ port, host: '127.0.0.1' });
process.stderr.write(`wirehttp (library, drain only) listening on 127.0.0.1:${port}\n`);
process.once('SIGTERM', () => process.exit(0));
