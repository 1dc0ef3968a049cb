// Server CPU per MiB of chunked upload, by chunk size: the cost per body byte should not depend on
// how the client cuts the body. While each upload runs, a second client times GET / (p50/p99/max).
// Run: npm run build && node bench/chunked-upload.mjs [--cli dist/cli.js] [--mib 4] [--sizes 1,16,65536]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { cpuMicros } from './proc-stats.mjs';

const { values } = parseArgs({
  options: {
    cli: { type: 'string', default: fileURLToPath(new URL('../dist/cli.js', import.meta.url)) },
    mib: { type: 'string', default: '4' },
    sizes: { type: 'string', default: '1,16,65536' },
  },
});
const MIB = 1024 * 1024;
const mib = Number(values.mib);
const sizes = values.sizes.split(',').map(Number);

/** One MiB of body as chunked framing in `size`-byte chunks (the last chunk may be shorter). */
function framedMiB(size) {
  const parts = [];
  for (let sent = 0; sent < MIB; sent += size) {
    const n = Math.min(size, MIB - sent);
    parts.push(Buffer.from(`${n.toString(16)}\r\n`), Buffer.alloc(n, 0x61), Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

function startServer(dir) {
  const proc = spawn(process.execPath, [values.cli, '--port', '0', '--quiet', '--directory', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let text = '';
    proc.stderr.on('data', (d) => {
      text += d;
      const port = /listening on [^ ]*:(\d+)/.exec(text)?.[1];
      if (port !== undefined) resolve({ proc, port: Number(port) });
    });
    proc.once('exit', () => reject(new Error(`server exited: ${text}`)));
  });
}

/** Uploads `mib` MiB in `size`-byte chunks; resolves with the response's status line. */
function upload(port, size, framed) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    socket.on('data', (d) => (response += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(response.split('\r\n')[0]));
    socket.write(`PUT /files/upload-${size}.bin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`);
    let left = mib;
    const pump = () => {
      while (left > 0) {
        left--;
        if (!socket.write(framed)) return socket.once('drain', pump);
      }
      socket.write('0\r\n\r\n');
    };
    pump();
  });
}

/** Times GET / on one keep-alive connection until `stop()`; resolves with the latencies (ms). */
function probe(port) {
  const socket = net.connect(port, '127.0.0.1');
  const latencies = [];
  let running = true;
  let sentAt = 0;
  let buffered = '';
  const send = () => {
    sentAt = performance.now();
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
  };
  socket.on('connect', send);
  socket.on('data', (d) => {
    buffered += d;
    if (!buffered.includes('\r\n\r\n')) return;
    buffered = '';
    latencies.push(performance.now() - sentAt);
    if (running) setTimeout(send, 5);
  });
  return {
    stop() {
      running = false;
      socket.destroy();
      return latencies.sort((a, b) => a - b);
    },
  };
}

const pick = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-chunked-'));
const { proc, port } = await startServer(dir);
try {
  for (const size of sizes) {
    const framed = framedMiB(size); // built first: the probe shares this process's event loop
    const latency = probe(port);
    const cpuBefore = cpuMicros(proc.pid);
    const started = performance.now();
    const status = await upload(port, size, framed);
    const wall = (performance.now() - started) / 1000;
    const cpu = (cpuMicros(proc.pid) - cpuBefore) / 1e6;
    const l = latency.stop();
    console.log(
      `${String(size).padStart(6)}-byte chunks, ${mib} MiB: ${(cpu / mib).toFixed(3)} s CPU/MiB, ${wall.toFixed(2)} s wall, ` +
        `${status}; GET / meanwhile: n=${l.length} p50 ${pick(l, 0.5).toFixed(1)} ms, p99 ${pick(l, 0.99).toFixed(1)} ms, max ${(l.at(-1) ?? NaN).toFixed(1)} ms`,
    );
  }
} finally {
  proc.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
}
