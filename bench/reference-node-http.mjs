// The node:http reference server: the same work as wirehttp's CLI for the benchmarked routes.
// Usage: node bench/reference-node-http.mjs PORT DIRECTORY
// With BENCH_COUNT_REQUESTS=1 it counts requests and prints the count to stderr on SIGTERM.
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const port = Number(process.argv[2]);
const directory = process.argv[3];
const countRequests = process.env.BENCH_COUNT_REQUESTS === '1';
let requests = 0;

function fail(res, status, message) {
  res.writeHead(status, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(message) });
  res.end(message);
}

async function serveFile(res, file) {
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) return fail(res, 404, 'Not Found');
  res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': info.size });
  createReadStream(file).pipe(res);
}

function storeFile(req, res, file) {
  const out = createWriteStream(file);
  req.pipe(out);
  out.on('finish', () => {
    res.writeHead(201, { 'Content-Length': 0 });
    res.end();
  });
  out.on('error', () => fail(res, 500, 'Internal Server Error'));
}

const server = http.createServer((req, res) => {
  if (countRequests) requests++;
  const url = req.url ?? '/';
  if (req.method === 'GET' && url.startsWith('/echo/')) {
    const text = decodeURIComponent(url.slice('/echo/'.length));
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
    return;
  }
  if (url.startsWith('/files/')) {
    const name = decodeURIComponent(url.slice('/files/'.length));
    if (name.includes('/') || name.startsWith('.')) return fail(res, 404, 'Not Found');
    const file = path.join(directory, name);
    if (req.method === 'GET') return void serveFile(res, file);
    if (req.method === 'POST') return storeFile(req, res, file);
  }
  fail(res, 404, 'Not Found');
});

server.listen(port, '127.0.0.1', () => process.stderr.write(`node:http listening on 127.0.0.1:${port}\n`));
process.once('SIGTERM', () => {
  if (countRequests) process.stderr.write(`requests served: ${requests}\n`);
  process.exit(0);
});
