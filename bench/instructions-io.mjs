// Instructions per request for file downloads and uploads, counted by valgrind's callgrind
// (the sibling of instructions.mjs, which feeds /echo over a fake socket). These paths wait on
// libuv's thread pool and on the socket, so here the server runs for real under callgrind on a
// loopback port, and this process is the client: requests go one after another on one
// keep-alive connection. callgrind counts the instructions of every thread of the server
// (JavaScript, libuv's pool) but not the kernel's: `strace -c -f` shows that side. The count
// is taken after warm-up + N and warm-up + 2N requests and differenced, which cancels start-up,
// warm-up and most compilation. Repeat runs agree to about 0.1 %. Unlike instructions.mjs, time
// passes here (valgrind runs ~50× slower), so once-a-second work (the file cache's revalidation,
// the clock) falls on fewer requests than at full speed. Upload counts also depend on how the
// kernel splits a body into reads: on a crowded machine the server reads it in more, smaller
// pieces, and a run measured 3-10x its quiet count. Compare builds in runs made side by side on a
// calm machine (load below the core count).
//
//   npm run build && node bench/instructions-io.mjs                    # every scenario × server
//   node bench/instructions-io.mjs --scenario file-1m --server cli --requests 100
//   node bench/instructions-io.mjs --scenario upload-1m --server cli --strace   # syscalls per request
//   BENCH_CLI=/other/checkout/dist/cli.js node bench/instructions-io.mjs ...    # another build
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CLI, freePort } from './servers.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const KiB = 1024;
const MiB = 1024 * KiB;

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    server: { type: 'string' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    strace: { type: 'boolean', default: false },
    keep: { type: 'string' },
  },
});

/** The files every run serves, by name (their sizes are what the download scenarios check). */
const FILES = { '0.bin': 0, '4k.bin': 4 * KiB, '64k.bin': 64 * KiB, '1m.bin': MiB, '16m.bin': 16 * MiB };

/**
 * Each scenario's request, its default counts (`warmup` requests first, so that the JIT has
 * compiled the hot path before the counted ones), and the servers it compares (the reference first).
 */
const SCENARIOS = {
  'file-0': { get: '0.bin', warmup: 2000, requests: 1000, servers: ['node-http', 'cli'] },
  'file-4k': { get: '4k.bin', warmup: 2000, requests: 1000, servers: ['node-http', 'cli'] },
  'file-64k': { get: '64k.bin', warmup: 500, requests: 300, servers: ['node-http', 'cli'] },
  'file-1m': { get: '1m.bin', warmup: 100, requests: 60, servers: ['node-http', 'cli'] },
  'file-16m': { get: '16m.bin', warmup: 20, requests: 10, servers: ['node-http', 'cli'] },
  'upload-1m': { upload: MiB, chunk: 0, warmup: 60, requests: 30, servers: ['node-http-drain', 'library-drain', 'node-http-durable', 'cli'] },
  'upload-chunked-64k': { upload: 256 * KiB, chunk: 64 * KiB, warmup: 16, requests: 8, servers: ['node-http-durable', 'cli'] },
  'upload-chunked-1': { upload: 256 * KiB, chunk: 1, warmup: 16, requests: 8, servers: ['node-http-durable', 'cli'] },
};


const SERVERS = {
  cli: (port, dir) => [CLI, '--port', String(port), '--host', '127.0.0.1', '--directory', dir, '--quiet'],
  'library-drain': (port) => [path.join(BENCH_DIR, 'reference-library-drain.mjs'), String(port), path.join(path.dirname(CLI), 'index.js')],
  'node-http': (port, dir) => [path.join(BENCH_DIR, 'reference-node-http.mjs'), String(port), dir],
  'node-http-durable': (port, dir) => [path.join(BENCH_DIR, 'reference-node-http.mjs'), String(port), dir, 'durable'],
  'node-http-drain': (port, dir) => [path.join(BENCH_DIR, 'reference-node-http.mjs'), String(port), dir, 'drain'],
};

function connect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => resolve(socket));
    socket.once('error', () => resolve(null));
  });
}

/** The request bytes of one exchange (`index` varies the upload's name, as bench/lua/upload.lua does). */
function requestOf(scenario, index) {
  if (scenario.get !== undefined) return Buffer.from(`GET /files/${scenario.get} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 'latin1');
  const target = `/files/upload-${(index % 16) + 1}`;
  const body = Buffer.alloc(scenario.upload, 'u');
  if (scenario.chunk === 0) {
    const head = `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  }
  const pieces = [`POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n`];
  for (let at = 0; at < body.length; at += scenario.chunk) {
    const piece = body.subarray(at, at + scenario.chunk);
    pieces.push(`${piece.length.toString(16)}\r\n${piece.toString('latin1')}\r\n`);
  }
  pieces.push('0\r\n\r\n');
  return Buffer.from(pieces.join(''), 'latin1');
}

/** Sends `count` requests one after another; checks every status and body length. */
async function drive(socket, scenario, count, expectedBody) {
  let buffered = Buffer.alloc(0);
  let wake = null;
  socket.on('data', (chunk) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    wake?.();
  });
  for (let i = 0; i < count; i++) {
    socket.write(requestOf(scenario, i));
    for (;;) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end >= 0) {
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 'NaN');
        if (buffered.length >= end + 4 + length) {
          const status = Number(head.slice(9, 12));
          const want = scenario.get !== undefined ? 200 : 201;
          if (status !== want || (scenario.get !== undefined && length !== expectedBody)) throw new Error(`unexpected answer: ${head}`);
          buffered = buffered.subarray(end + 4 + length);
          break;
        }
      }
      await new Promise((resolve) => (wake = resolve));
    }
  }
  socket.destroy();
}

/** Runs `server` under `tool` (callgrind or strace) for `count` exchanges; returns the tool's output file. */
async function runOnce(scenarioId, serverId, count, tool) {
  const scenario = SCENARIOS[scenarioId];
  const dir = mkdtempSync(path.join(tmpdir(), 'wirehttp-instructions-io-'));
  const out = path.join(dir, '.tool.out');
  for (const [name, size] of Object.entries(FILES)) writeFileSync(path.join(dir, name), Buffer.alloc(size, name[0]));
  const port = await freePort();
  const node = [process.execPath, '--predictable', '--hash-seed=1', '--random-seed=1', ...SERVERS[serverId](port, dir)];
  const argv =
    tool === 'callgrind'
      ? ['valgrind', '--tool=callgrind', `--callgrind-out-file=${out}`, '--smc-check=all-non-file', ...node]
      : ['strace', '-f', '-c', '-o', out, ...node];
  const proc = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  let socket = null;
  for (let tries = 0; socket === null; tries++) {
    if (tries > 3000 || proc.exitCode !== null) throw new Error(`${serverId} did not start:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket = await connect(port);
  }
  await drive(socket, scenario, count, FILES[scenario.get]);
  // strace forwards no signal: the server is its child.
  const target = tool === 'callgrind' ? proc.pid : Number(readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, 'utf8').trim().split(' ')[0]);
  process.kill(target, 'SIGTERM');
  await exited;
  const text = readFileSync(out, 'utf8');
  if (values.keep !== undefined) writeFileSync(`${values.keep}.${count}`, text);
  rmSync(dir, { recursive: true, force: true });
  return text;
}

async function instructions(scenarioId, serverId, count) {
  const text = await runOnce(scenarioId, serverId, count, 'callgrind');
  const total = /^summary:\s+(\d+)/m.exec(text) ?? /^totals:\s+(\d+)/m.exec(text);
  if (total === null) throw new Error('no summary line in the callgrind output');
  return Number(total[1]);
}

/** strace -c's calls per system call name. */
function syscalls(text) {
  const calls = new Map();
  for (const line of text.split('\n')) {
    const match = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/.exec(line);
    if (match !== null && match[2] !== 'total') calls.set(match[2], Number(match[1]));
  }
  return calls;
}

const scenarioIds = values.scenario !== undefined ? [values.scenario] : Object.keys(SCENARIOS);
if (values.strace) {
  console.log('| scenario | server | system calls per request (differenced) |');
  console.log('| --- | --- | --- |');
} else {
  console.log('| scenario | server | instructions per request | ÷ first server |');
  console.log('| --- | --- | --- | --- |');
}
for (const scenarioId of scenarioIds) {
  const scenario = SCENARIOS[scenarioId];
  if (scenario === undefined) throw new Error(`--scenario ${Object.keys(SCENARIOS).join('|')}`);
  const requests = Number(values.requests ?? scenario.requests);
  const warmup = Number(values.warmup ?? scenario.warmup);
  const servers = values.server !== undefined ? values.server.split(',') : scenario.servers;
  let first = null;
  for (const serverId of servers) {
    if (values.strace) {
      const small = syscalls(await runOnce(scenarioId, serverId, warmup + requests, 'strace'));
      const large = syscalls(await runOnce(scenarioId, serverId, warmup + 2 * requests, 'strace'));
      const per = [...large]
        .map(([name, calls]) => [name, (calls - (small.get(name) ?? 0)) / requests])
        .filter(([, calls]) => calls >= 0.05)
        .sort((a, b) => b[1] - a[1])
        .map(([name, calls]) => `${name} ${calls.toFixed(1)}`);
      console.log(`| ${scenarioId} | ${serverId} | ${per.join(', ')} |`);
      continue;
    }
    const small = await instructions(scenarioId, serverId, warmup + requests);
    const large = await instructions(scenarioId, serverId, warmup + 2 * requests);
    const per = Math.round((large - small) / requests);
    first ??= per;
    console.log(`| ${scenarioId} | ${serverId} | ${per} | ${(per / first).toFixed(2)} |`);
  }
}
