// Load generator for chunked uploads, which wrk cannot frame: CONNECTIONS keep-alive connections
// each POST (or PUT) a BODY_BYTES body in CHUNK_BYTES chunks to /files/chunked-<n>, one after
// another, for SECONDS; then the uploads in flight are waited for (up to MAX_WAIT seconds), so
// the server's CPU time covers whole bodies only. Prints one line as wrk's lua/report.lua does:
// BENCH_RESULT {requests, durationUs, bytes, errors, latencyUs, unfinished}.
// Usage: node bench/chunked-client.mjs PORT METHOD BODY_BYTES CHUNK_BYTES CONNECTIONS SECONDS MAX_WAIT
import net from 'node:net';

const [port, method, bodyBytes, chunkBytes, connections, seconds, maxWait] = process.argv.slice(2).map((a, i) => (i === 1 ? a : Number(a)));

/** The request body framed as BODY_BYTES / CHUNK_BYTES chunks of "u" and the last chunk. */
function chunkedBody() {
  const frame = Buffer.from(`${chunkBytes.toString(16)}\r\n${'u'.repeat(chunkBytes)}\r\n`, 'latin1');
  const count = Math.ceil(bodyBytes / chunkBytes);
  const body = Buffer.allocUnsafe(frame.length * count + 5);
  for (let i = 0; i < count; i++) frame.copy(body, i * frame.length);
  body.write('0\r\n\r\n', frame.length * count, 'latin1');
  return body;
}

const body = chunkedBody();
const errors = { connect: 0, read: 0, write: 0, status: 0, timeout: 0 };
const latencies = [];
let bytes = 0;
let unfinished = 0;
const startedAt = performance.now();
const stopAt = startedAt + seconds * 1000;
let lastDoneAt = startedAt;

/** Sends one upload on `socket`; resolves true when a complete response came back. */
function upload(socket, index) {
  const head = `${method} /files/chunked-${index} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n`;
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const sentAt = performance.now();
    const onData = (chunk) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const headText = received.subarray(0, headEnd).toString('latin1');
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headText)?.[1] ?? 0);
      if (received.length < headEnd + 4 + length) return;
      finish(/^HTTP\/1\.1 2\d\d /.test(headText) ? 'ok' : 'status');
    };
    const onClose = () => finish('read');
    const finish = (outcome) => {
      socket.off('data', onData);
      socket.off('close', onClose);
      if (outcome === 'ok') {
        latencies.push((performance.now() - sentAt) * 1000);
        bytes += received.length;
        lastDoneAt = performance.now();
      } else errors[outcome]++;
      resolve(outcome === 'ok');
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(head, 'latin1');
    socket.write(body);
  });
}

async function connection(index) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  socket.setNoDelay(true);
  const connected = await new Promise((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
  });
  if (!connected) return void errors.connect++;
  socket.on('error', () => {});
  while (performance.now() < stopAt) {
    const inFlight = upload(socket, index);
    let timer;
    const timedOut = new Promise((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, stopAt - performance.now()) + maxWait * 1000);
    });
    const outcome = await Promise.race([inFlight, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      unfinished++;
      break;
    }
    if (!outcome) break;
  }
  socket.destroy();
}

await Promise.all(Array.from({ length: connections }, (_, i) => connection(i + 1)));
latencies.sort((a, b) => a - b);
const percentile = (p) => (latencies.length === 0 ? 0 : Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]));
const result = {
  requests: latencies.length,
  durationUs: Math.round((Math.max(lastDoneAt, stopAt) - startedAt) * 1000),
  bytes,
  errors,
  latencyUs: { p50: percentile(50), p99: percentile(99), mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length), max: percentile(100) },
  unfinished,
};
process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
process.exit(0);
