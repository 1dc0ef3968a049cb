// Instructions per request on the request path, counted by valgrind's callgrind: unlike CPU
// time, the count does not change with the machine's load, so a change of a few percent shows.
// The real server code runs against an in-process fake socket (no kernel, no event loop turns):
// a fixed number of requests is fed as 'data' events and the responses are counted. The count
// is taken at two request totals and differenced, which cancels start-up, warm-up and JIT.
//
//   npm run build && node bench/instructions.mjs            # every server × mode
//   node bench/instructions.mjs --server cli --mode pipelined --requests 20000
//   node --cpu-prof bench/instructions.mjs --child --server cli --mode pipelined --requests 200000
//
// --child runs the driver itself (no valgrind): what the --cpu-prof line above profiles.
import { spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
  },
});

const SERVERS = ['cli', 'library'];
const MODES = { pipelined: 16, keepalive: 1 };
const REQUEST = 'GET /echo/hello HTTP/1.1\r\nHost: 127.0.0.1:4221\r\n\r\n';

/** Just enough of net.Socket for a Connection; writes are counted, not sent. */
class FakeSocket extends EventEmitter {
  remoteAddress = '127.0.0.1';
  writableHighWaterMark = 16384;
  writableNeedDrain = false;
  writableLength = 0;
  _handle = null;
  bytes = 0;
  setNoDelay() {}
  cork() {}
  uncork() {}
  pause() {}
  resume() {}
  end() {}
  destroy() {}
  write(data) {
    this.bytes += data.length;
    return true;
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

async function child() {
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
  const servers = values.server !== undefined ? [values.server] : SERVERS;
  const modes = values.mode !== undefined ? [values.mode] : Object.keys(MODES);
  console.log('| server | mode | instructions per request |');
  console.log('| --- | --- | --- |');
  for (const server of servers) {
    for (const mode of modes) {
      const small = count(server, mode, requests);
      const large = count(server, mode, 2 * requests);
      console.log(`| ${server} | ${mode} | ${Math.round((large - small) / requests)} |`);
    }
  }
}
