// An upload sent as 1-byte chunks costs the server about what its framing costs to parse: it
// is stored whole, memory stays flat, and other clients keep being answered quickly meanwhile.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect, parseResponses, rssOf, startCli } from '../helpers.mjs';

const MIB = 1024 * 1024;
const UPLOAD_MIB = 4;
/**
 * Other clients' latency while the upload runs: the goal is a p99 under 50 ms. This machine has
 * 2 cores shared with other work, so a GET / can wait for the scheduler alone: the bound is
 * 50 ms plus 100 ms of margin plus the p99 the same probe measured just before the upload.
 * Before small chunks were gathered (parser and file), it was several seconds.
 */
const P99_GOAL_MS = 50;
const P99_MARGIN_MS = 100;
/** Server CPU for the whole upload; it was 8.5 s per MiB at 1 MiB and grew quadratically. */
const CPU_LIMIT_S = 1.5 * UPLOAD_MIB;
/** Queueing every 1-byte chunk for the file grew the heap by hundreds of MiB per MiB uploaded. */
const RSS_GROWTH_LIMIT = 128 * MIB;

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-chunked-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** Server CPU (user + system) in seconds, from /proc. */
function cpuSeconds(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // CLK_TCK is 100 on Linux
}

/** One MiB of body 'a'..'z' repeated, framed as 1-byte chunks (6 bytes of framing each). */
function oneByteChunks() {
  const parts = [];
  for (let i = 0; i < MIB; i++) parts.push(`1\r\n${String.fromCharCode(0x61 + (i % 26))}\r\n`);
  return Buffer.from(parts.join(''), 'latin1');
}

/** Times GET / every 10 ms on one keep-alive connection until stop(); resolves the sorted latencies. */
async function latencyProbe(port) {
  const socket = await connect(port);
  const latencies = [];
  let running = true;
  let sentAt = 0;
  let received = Buffer.alloc(0);
  const send = () => {
    sentAt = performance.now();
    socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
  };
  socket.on('data', (d) => {
    received = Buffer.concat([received, d]);
    if (!received.includes('\r\n\r\n')) return;
    assert.equal(parseResponses(received)[0].status, 200);
    received = Buffer.alloc(0);
    latencies.push(performance.now() - sentAt);
    if (running) setTimeout(send, 10);
  });
  send();
  return () => {
    running = false;
    socket.destroy();
    return latencies.sort((a, b) => a - b);
  };
}

test(`a ${UPLOAD_MIB} MiB upload in 1-byte chunks: stored whole, linear CPU, flat memory, others answered quickly`, { timeout: 120_000 }, async (t) => {
  const framed = oneByteChunks(); // built first: the probe below shares this process's event loop
  const server = await startCli(['--directory', dir, '--quiet']);
  try {
    const rssBefore = await rssOf(server.pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => {
      rssOf(server.pid).then((rss) => (rssPeak = Math.max(rssPeak, rss)), () => {});
    }, 100);
    const stopBaseline = await latencyProbe(server.port);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const baseline = stopBaseline();
    const baselineP99 = baseline[Math.floor(baseline.length * 0.99)] ?? baseline.at(-1);
    const p99Limit = P99_GOAL_MS + P99_MARGIN_MS + baselineP99;
    const stopProbe = await latencyProbe(server.port);
    const cpuBefore = cpuSeconds(server.pid);

    const socket = await connect(server.port);
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('PUT /files/tiny-chunks.txt HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n');
    for (let i = 0; i < UPLOAD_MIB; i++) {
      if (!socket.write(framed)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    socket.write('0\r\n\r\n');
    await closed;

    const cpu = cpuSeconds(server.pid) - cpuBefore;
    const latencies = stopProbe();
    clearInterval(sampler);
    const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? latencies.at(-1);
    t.diagnostic(
      `server CPU ${(cpu / UPLOAD_MIB).toFixed(3)} s/MiB; GET / meanwhile: n=${latencies.length}, p99 ${p99.toFixed(1)} ms ` +
        `(before the upload: ${baselineP99.toFixed(1)} ms, limit ${p99Limit.toFixed(0)} ms); ` +
        `RSS growth ${((rssPeak - rssBefore) / MIB).toFixed(1)} MiB`,
    );

    const [res] = parseResponses(Buffer.concat(chunks));
    assert.equal(res.status, 201);
    const stored = await readFile(path.join(dir, 'tiny-chunks.txt'));
    assert.equal(stored.length, UPLOAD_MIB * MIB);
    for (let i = 0; i < stored.length; i += 4099) assert.equal(stored[i], 0x61 + ((i % MIB) % 26), `byte ${i}`);
    assert.deepEqual(await readdir(dir), ['tiny-chunks.txt'], 'no temporary file is left');

    assert.ok(cpu < CPU_LIMIT_S, `server CPU ${cpu.toFixed(2)} s for ${UPLOAD_MIB} MiB`);
    assert.ok(latencies.length >= 5, 'the other client was answered while the upload ran');
    assert.ok(p99 < p99Limit, `GET / p99 ${p99.toFixed(1)} ms while the upload ran`);
    assert.ok(rssPeak - rssBefore < RSS_GROWTH_LIMIT, `RSS grew by ${((rssPeak - rssBefore) / MIB).toFixed(1)} MiB`);
  } finally {
    await server.stop();
  }
});
