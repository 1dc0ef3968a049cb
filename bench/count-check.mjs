// One-off sanity check that wrk's request count is what the servers really served:
// node:http counts requests itself; for wirehttp the bytes it wrote to sockets (/proc/PID/io
// wchar) are divided by the size of one response.
import net from 'node:net';
import { bytesWritten } from './proc-stats.mjs';
import { SCENARIOS } from './scenarios.mjs';
import { startServer } from './servers.mjs';
import { runWrk } from './wrk.mjs';

/** Bytes of one raw keep-alive response to GET `urlPath`, headers included (as wrk gets them). */
function rawResponseLength(port, urlPath) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () =>
      socket.write(`GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`),
    );
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const contentLength = Number(/\r\ncontent-length:\s*(\d+)/i.exec(received.subarray(0, headEnd).toString('latin1'))?.[1]);
      if (received.length >= headEnd + 4 + contentLength) {
        socket.destroy();
        resolve(headEnd + 4 + contentLength);
      }
    });
    socket.once('error', reject);
  });
}

function wrkOptions(scenario, port, seconds) {
  return {
    url: `http://127.0.0.1:${port}${scenario.path}`,
    script: scenario.script,
    connections: scenario.connections,
    seconds,
    env: { BENCH_PIPELINE_DEPTH: String(scenario.pipeline ?? 1) },
  };
}

export async function checkRequestCounts(dir, seconds) {
  const rows = [];
  for (const scenario of SCENARIOS.filter((s) => s.id === 'echo' || s.id === 'pipelined')) {
    const reference = await startServer('node-http', dir, { env: { BENCH_COUNT_REQUESTS: '1' } });
    const referenceRun = await runWrk(wrkOptions(scenario, reference.port, seconds));
    const served = Number(/requests served: (\d+)/.exec(await reference.stop())?.[1]);
    rows.push({ scenario: scenario.id, server: 'node:http', wrkRequests: referenceRun.requests, serverCount: served });

    const wirehttp = await startServer('wirehttp', dir);
    try {
      const responseBytes = await rawResponseLength(wirehttp.port, scenario.path);
      const before = bytesWritten(wirehttp.pid);
      const run = await runWrk(wrkOptions(scenario, wirehttp.port, seconds));
      const written = bytesWritten(wirehttp.pid) - before;
      rows.push({ scenario: scenario.id, server: 'wirehttp', wrkRequests: run.requests, serverCount: Math.round(written / responseBytes) });
    } finally {
      await wirehttp.stop();
    }
  }
  return rows;
}
