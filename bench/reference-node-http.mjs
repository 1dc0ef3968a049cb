// The node:http reference server: the same work as wirehttp's CLI for the benchmarked routes.
// Usage: node bench/reference-node-http.mjs PORT DIRECTORY [durable|drain]
// Uploads stream straight into the file; with `durable` they do what the CLI's uploads do: a
// temporary file beside the target, fsync, rename over the target, fsync of the directory;
// with `drain` the body is read and dropped (the pair of reference-library-drain.mjs).
// With BENCH_COUNT_REQUESTS=1 it counts requests and prints the count to stderr on SIGTERM.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, stat, unlink } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';

const port = Number(process.argv[2]);
const directory = process.argv[3];
const mode = process.argv[4] ?? 'plain';
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

function drain(req, res) {
  req.once('end', () => {
    res.writeHead(201, { 'Content-Length': 0 });
    res.end();
  });
  req.resume();
}

async function storeFileDurably(req, res, file) {
  const temp = path.join(path.dirname(file), `.upload-${randomBytes(8).toString('hex')}.tmp`);
  try {
    // `flush: true` fsyncs the file before the stream closes it. Not stream.pipeline: it would
    // wait for the request's 'close', which comes only after the response.
    await new Promise((resolve, reject) => {
      const out = createWriteStream(temp, { flags: 'wx', mode: 0o644, flush: true });
      req.once('error', reject);
      out.once('error', reject);
      out.once('close', resolve);
      req.pipe(out);
    });
    await rename(temp, file);
    const dir = await open(path.dirname(file), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    await unlink(temp).catch(() => {});
    return fail(res, 500, 'Internal Server Error');
  }
  res.writeHead(201, { 'Content-Length': 0 });
  res.end();
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
    if (req.method === 'POST' && mode === 'drain') return drain(req, res);
    if (req.method === 'POST') return mode === 'durable' ? void storeFileDurably(req, res, file) : storeFile(req, res, file);
  }
  fail(res, 404, 'Not Found');
});

server.listen(port, '127.0.0.1', () => process.stderr.write(`node:http listening on 127.0.0.1:${port}\n`));
process.once('SIGTERM', () => {
  if (countRequests) process.stderr.write(`requests served: ${requests}\n`);
  process.exit(0);
});
