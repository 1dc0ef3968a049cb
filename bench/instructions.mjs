// Instructions per request on the request path, counted by valgrind's callgrind: unlike CPU
// time, the count does not change with the machine's load, so a change of a few percent shows.
// The real server code runs against an in-process fake socket (no kernel, no event loop turns):
// a fixed number of requests is fed as 'data' events and the responses are counted. The count
// is taken at two request totals and differenced, which cancels start-up, warm-up and JIT.
//
//   npm run build && node bench/instructions.mjs            # every server × mode
//   node bench/instructions.mjs --server cli --mode pipelined --requests 20000
//   node bench/instructions.mjs --server hono-node,hono-wirehttp --requests 3000 --warmup 6000
//   node --cpu-prof bench/instructions.mjs --child --server cli --mode pipelined --requests 200000
//   node --expose-gc --cpu-prof bench/instructions.mjs --child --server hono-wirehttp --route json --requests 100000
//
// --child runs the driver itself (no valgrind): what the --cpu-prof line above profiles
// (a hono-* child needs --expose-gc as well).
//
// The hono-* servers run the Hono app of the `hono` scenario (bench/hono-app.mjs): requests
// cycle through its paths (or only `--route json|text|static`), one at a time, each awaited
// until its whole answer is written, as the static file is read asynchronously. hono-node is
// @hono/node-server (its defaults: global Request/Response replaced) on node:http, fed the same
// fake socket through the 'connection' event; node:http then parses in JS-called llhttp from
// 'data' events rather than straight from a libuv handle, which makes it a little dearer
// here than on a real socket. hono-node-native is @hono/node-server with
// overrideGlobalObjects: false (the platform's Request and Response, as wirehttp's default).
// hono-wirehttp is serve({ fetch }) with default options, hono-wirehttp-light with
// overrideGlobalObjects: true.
//
// Read a static-route count with the heap in mind: a hono-wirehttp child's heap settles at
// ~8.1 MB after a full collection (wirehttp's modules), a hono-node child's at ~7.1 MB, either
// side of the 8 MB below which V8 (Node 20) starts no incremental marking. Above it, once the
// young generation has grown to 16 MB (it does on the static route), marking restarts after
// every major collection (--trace-incremental-marking: "Start (task) 8MB / 24MB / 16MB"): 325
// major collections in 30,000 static requests against 18 (`node --predictable
// --no-memory-reducer --expose-gc --trace-gc bench/instructions.mjs --child --server
// hono-wirehttp --route static --requests 20000 --warmup 10000`), 2.3x the CPU. Importing
// dist/index.js into the hono-node child does the same to it (14 -> 99 major collections, 1.9
// -> 2.9 s user for 18,000 requests): most of that gap comes from the heap's size, not from
// the work per request (with --max-semi-space-size=4, which keeps the young generation small,
// 2.0 s against 1.65 s).
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    child: { type: 'boolean', default: false },
    server: { type: 'string' },
    mode: { type: 'string' },
    requests: { type: 'string', default: '20000' },
    warmup: { type: 'string', default: '20000' },
    route: { type: 'string' },
  },
});

const HONO_SERVERS = ['hono-node', 'hono-node-native', 'hono-wirehttp', 'hono-wirehttp-light'];
const SERVERS = ['cli', 'library', ...HONO_SERVERS];
const MODES = { pipelined: 16, keepalive: 1 };
/** The Hono servers answer one request at a time: only keep-alive applies. */
const modesOf = (server) => (HONO_SERVERS.includes(server) ? ['keepalive'] : Object.keys(MODES));
const REQUEST = 'GET /echo/hello HTTP/1.1\r\nHost: 127.0.0.1:4221\r\n\r\n';
const ROUTES = { json: '/hono/json/42', text: '/hono/text', static: '/hono/static/4k.bin' };

/**
 * Just enough of net.Socket for a Connection and for node:http; writes are counted, not sent.
 * A write's callback runs on the next tick, as a real socket's does after a write that
 * completes at once.
 */
class FakeSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  remotePort = 50000;
  remoteFamily = 'IPv4';
  writableHighWaterMark = 16384;
  writableNeedDrain = false;
  writableLength = 0;
  readable = true;
  writable = true;
  destroyed = false;
  _handle = null;
  _writableState = { needDrain: false };
  bytes = 0;
  /** While set, the bytes written, kept to read an answer's length. */
  captured = null;
  /** Bytes after which the awaited answer is complete, and who awaits it. */
  target = 0;
  answered = null;
  setNoDelay() {}
  setKeepAlive() {}
  setTimeout() {
    return this;
  }
  cork() {}
  uncork() {}
  pause() {}
  resume() {}
  end() {}
  destroy() {}
  write(data, encoding, callback) {
    this.bytes += typeof data === 'string' ? Buffer.byteLength(data, encoding === 'latin1' ? 'latin1' : 'utf8') : data.length;
    if (this.captured !== null) this.captured.push(Buffer.from(data, typeof encoding === 'string' ? encoding : 'utf8'));
    if (this.answered !== null && this.bytes >= this.target) {
      const answered = this.answered;
      this.answered = null;
      answered();
    }
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') process.nextTick(done);
    return true;
  }
  /** Sends one request; resolves once `size` more bytes have been written. */
  request(chunk, size) {
    this.target = this.bytes + size;
    const answer = new Promise((resolve) => {
      this.answered = resolve;
    });
    this.emit('data', chunk);
    return answer;
  }
}

async function makeServer(kind) {
  if (kind === 'library') {
    const { createServer, Router } = await import('../dist/index.js');
    const router = new Router().get('/echo/:text', (req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end(req.params['text'] ?? '');
    });
    return { server: createServer(router.handle), stop: async () => {} };
  }
  const { parseCommand } = await import('../dist/cli/options.js');
  const { startServer } = await import('../dist/cli/serve.js');
  const directory = mkdtempSync(path.join(tmpdir(), 'wirehttp-instructions-'));
  const command = parseCommand(['--port', '0', '--host', '127.0.0.1', '--quiet', '--directory', directory], {});
  if (command.kind !== 'serve') throw new Error('unexpected command');
  const { server } = await startServer(command.options, undefined, null);
  return {
    server,
    stop: async () => {
      await server.close(0);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** Feeds `count` requests, `depth` per 'data' event; returns the bytes answered. */
function feed(socket, count, depth) {
  const chunk = Buffer.from(REQUEST.repeat(depth), 'latin1');
  const before = socket.bytes;
  for (let sent = 0; sent < count; sent += depth) socket.emit('data', chunk);
  return socket.bytes - before;
}

/** A Hono server on `directory` (holding 4k.bin) and how to hand it a socket. */
async function makeHonoServer(kind, directory) {
  const { makeHonoApp } = await import('./hono-app.mjs');
  const app = makeHonoApp(directory);
  if (kind === 'hono-node' || kind === 'hono-node-native') {
    const { createAdaptorServer } = await import('@hono/node-server');
    const server = createAdaptorServer({ fetch: app.fetch, overrideGlobalObjects: kind === 'hono-node' });
    return { accept: (socket) => server.emit('connection', socket), stop: async () => {} };
  }
  const { serve } = await import('../dist/index.js');
  let server;
  await new Promise((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1', overrideGlobalObjects: kind === 'hono-wirehttp-light' }, resolve);
  });
  return { accept: (socket) => server['accept'](socket), stop: () => server.close(0) };
}

/** The length of the one whole HTTP answer at the start of `bytes`, or null while incomplete. */
function answerLength(bytes) {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return null;
  const head = bytes.subarray(0, headEnd).toString('latin1');
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (length !== null) return bytes.length >= headEnd + 4 + Number(length[1]) ? headEnd + 4 + Number(length[1]) : null;
  const last = bytes.indexOf('\r\n0\r\n\r\n', headEnd);
  return last === -1 ? null : last + 7;
}

/** Sends one request and collects its answer (the first time a path is asked, untimed). */
async function learnAnswer(socket, chunk) {
  socket.captured = [];
  socket.emit('data', chunk);
  for (let waited = 0; ; waited++) {
    const length = answerLength(Buffer.concat(socket.captured));
    if (length !== null) {
      const answer = Buffer.concat(socket.captured);
      socket.captured = null;
      return answer;
    }
    // Under callgrind on a busy machine a first answer can take minutes of wall time.
    if (waited > 6000) throw new Error('no whole answer within ten minutes');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function honoChild() {
  const paths = values.route === undefined ? Object.values(ROUTES) : [ROUTES[values.route]];
  if (paths[0] === undefined) throw new Error('--route json|text|static');
  const { HONO_ANSWERS } = await import('./scenarios.mjs');
  const directory = mkdtempSync(path.join(tmpdir(), 'wirehttp-instructions-'));
  writeFileSync(path.join(directory, '4k.bin'), Buffer.alloc(4096, 'x'));
  const { accept, stop } = await makeHonoServer(values.server, directory);
  const socket = new FakeSocket();
  accept(socket);
  const chunks = paths.map((p) => Buffer.from(`GET ${p} HTTP/1.1\r\nHost: 127.0.0.1:4221\r\n\r\n`, 'latin1'));
  const sizes = [];
  for (const [i, chunk] of chunks.entries()) {
    const answer = await learnAnswer(socket, chunk);
    const expected = HONO_ANSWERS[paths[i]];
    const body = answer.subarray(answer.indexOf('\r\n\r\n') + 4);
    const good = answer.subarray(0, 15).toString() === 'HTTP/1.1 200 OK' && (expected.text === undefined ? body.length === 4096 : body.toString() === expected.text);
    if (!good) throw new Error(`${values.server} answered ${paths[i]} with:\n${answer.toString('latin1')}`);
    sizes.push(answer.length);
  }
  const run = async (count) => {
    const before = socket.bytes;
    for (let i = 0; i < count; i++) await socket.request(chunks[i % chunks.length], sizes[i % chunks.length]);
    return socket.bytes - before;
  };
  await run(Number(values.warmup));
  // A full collection after the warm-up and after the measured requests: what a request leaves
  // for the old generation is then paid within the count, and the counts at two request totals
  // do not differ by whether one more major collection happened to fall inside.
  globalThis.gc();
  const requests = Number(values.requests);
  const bytes = await run(requests);
  globalThis.gc();
  let expected = 0;
  for (let i = 0; i < requests; i++) expected += sizes[i % sizes.length];
  if (bytes !== expected) throw new Error(`expected ${expected} response bytes, got ${bytes}`);
  await stop();
  rmSync(directory, { recursive: true, force: true });
}

async function child() {
  if (HONO_SERVERS.includes(values.server)) return honoChild();
  const depth = MODES[values.mode];
  if (depth === undefined || !SERVERS.includes(values.server)) throw new Error('--server cli|library --mode pipelined|keepalive');
  const { server, stop } = await makeServer(values.server);
  const socket = new FakeSocket();
  server['accept'](socket); // the path a listener's 'connection' takes
  const one = feed(socket, depth, depth) / depth;
  feed(socket, Number(values.warmup), depth);
  const requests = Number(values.requests);
  const bytes = feed(socket, requests, depth);
  // Every request must have had its full answer, or the count measures something else.
  if (bytes !== one * requests) throw new Error(`expected ${one * requests} response bytes, got ${bytes}`);
  await stop();
}

/** Instructions of one callgrind run of the child. */
function count(server, mode, requests) {
  const dir = mkdtempSync(path.join(tmpdir(), 'wirehttp-callgrind-'));
  const out = path.join(dir, 'callgrind.out');
  const run = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${out}`,
      '--smc-check=all-non-file', // V8 writes machine code at run time
      process.execPath,
      '--predictable', // no concurrent compiler or GC threads, no GC heuristics from timing: a repeatable count
      // The hono-* children: a full collection on demand, and none on a timer (the memory
      // reducer's), whose count would follow the machine's load.
      ...(HONO_SERVERS.includes(server) ? ['--expose-gc', '--no-memory-reducer'] : []),
      '--hash-seed=1',
      '--random-seed=1',
      new URL(import.meta.url).pathname,
      '--child',
      '--server',
      server,
      '--mode',
      mode,
      '--requests',
      String(requests),
      '--warmup',
      values.warmup,
      ...(values.route === undefined ? [] : ['--route', values.route]),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`valgrind failed (${run.status}):\n${run.stderr}`);
  const total = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  if (total === null) throw new Error('no summary line in the callgrind output');
  return Number(total[1]);
}

if (values.child) {
  await child();
} else {
  const requests = Number(values.requests);
  const servers = values.server !== undefined ? values.server.split(',') : SERVERS;
  console.log('| server | mode | instructions per request |');
  console.log('| --- | --- | --- |');
  const perRequest = {};
  for (const server of servers) {
    for (const mode of values.mode !== undefined ? [values.mode] : modesOf(server)) {
      const small = count(server, mode, requests);
      const large = count(server, mode, 2 * requests);
      perRequest[server] = Math.round((large - small) / requests);
      console.log(`| ${server} | ${mode} | ${perRequest[server]} |`);
    }
  }
  for (const server of ['hono-node-native', 'hono-wirehttp', 'hono-wirehttp-light']) {
    if (perRequest[server] !== undefined && perRequest['hono-node'] !== undefined) {
      console.log(`${server} / hono-node: ${(perRequest[server] / perRequest['hono-node']).toFixed(3)}`);
    }
  }
}
