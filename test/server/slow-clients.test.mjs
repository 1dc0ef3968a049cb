// Slowloris resistance: hundreds of clients trickling their heads must not delay a normal client.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connect, exchange, parseResponses, startCli } from '../helpers.mjs';

const TRICKLERS = 500;
const TRICKLE_SECONDS = 6;
const LATENCY_LIMIT_MS = 100;

let server;
before(async () => {
  server = await startCli();
});
after(() => server.stop());

test(`${TRICKLERS} clients sending 1 header byte per second do not stop a normal client being served within ${LATENCY_LIMIT_MS} ms`, async (t) => {
  const head = `GET /echo/slow HTTP/1.1\r\nHost: localhost\r\nUser-Agent: ${'s'.repeat(64)}\r\n`;
  const sockets = [];
  for (let i = 0; i < TRICKLERS; i += 50) {
    sockets.push(...(await Promise.all(Array.from({ length: 50 }, () => connect(server.port)))));
  }
  for (const socket of sockets) socket.on('error', () => {});
  const answered = sockets.map(() => 0);
  sockets.forEach((socket, i) => socket.on('data', () => answered[i]++));

  // Each trickler sends one byte a second; the writes are spread over the second.
  let tick = 0;
  const trickle = setInterval(() => {
    const slice = tick % 10;
    const byte = head[Math.floor(tick / 10) % head.length];
    for (let i = slice; i < sockets.length; i += 10) sockets[i].write(byte);
    tick++;
  }, 100);

  const latencies = [];
  try {
    const until = Date.now() + TRICKLE_SECONDS * 1000;
    while (Date.now() < until) {
      const started = performance.now();
      const { raw } = await exchange(server.port, 'GET /echo/fast HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
      latencies.push(performance.now() - started);
      const [res] = parseResponses(raw);
      assert.equal(res.status, 200);
      assert.equal(res.body.toString(), 'fast');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    clearInterval(trickle);
    for (const socket of sockets) socket.destroy();
  }
  latencies.sort((a, b) => a - b);
  t.diagnostic(
    `${latencies.length} normal requests: median ${latencies[latencies.length >> 1].toFixed(1)} ms, ` +
      `p95 ${latencies[Math.floor(latencies.length * 0.95)].toFixed(1)} ms, max ${latencies.at(-1).toFixed(1)} ms`,
  );
  assert.ok(latencies.length >= 20);
  // 95% within the limit, and no request held back for long: npm test runs two test files at
  // once on two cores, so a rare request can lose the CPU to another file for tens of ms.
  const p95 = latencies[Math.floor(latencies.length * 0.95)];
  assert.ok(p95 < LATENCY_LIMIT_MS, `95th percentile ${p95.toFixed(1)} ms`);
  assert.ok(latencies.at(-1) < LATENCY_LIMIT_MS * 3, `slowest normal request took ${latencies.at(-1).toFixed(1)} ms`);
  assert.equal(answered.filter((n) => n > 0).length, 0, 'no trickling client got an answer: their heads are incomplete');
});
