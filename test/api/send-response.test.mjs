// sendResponse (src/api/fetch/send-response.ts): how a fetch handler's Response reaches the
// connection. These cases run serve() in a child process, so that a failure that would end the
// process shows as one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { connect, listeningPort } from '../helpers.mjs';

const INDEX = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** Starts serve() with `fetchSource` (a function's source) in a child; resolves { port, proc, exited, stderr }. */
async function startChild(fetchSource) {
  const script = `
    import { serve } from ${JSON.stringify(INDEX)};
    serve({ port: 0, hostname: '127.0.0.1', fetch: ${fetchSource} }, ({ port }) => {
      process.stderr.write('listening on 127.0.0.1:' + port + '\\n');
    });`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const startup = listeningPort(proc);
  return { port: await startup.port, proc, exited, stderr: startup.stderr };
}

test('a stream that fails while a slow client still holds the chunks read before it leaves the server up', async () => {
  // Three large chunks ready at once, then a read left waiting while the first ones go out to a
  // client that reads nothing; the stream fails when the request's signal aborts, as a proxied
  // body does once the client has gone away.
  const server = await startChild(`(request) => new Response(new ReadableStream({
    start(controller) {
      for (let i = 0; i < 3; i++) controller.enqueue(new Uint8Array(8 * 1024 * 1024));
      request.signal.addEventListener('abort', () => controller.error(request.signal.reason));
    },
  }))`);
  try {
    const socket = await connect(server.port);
    socket.on('error', () => {});
    socket.pause();
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    socket.destroy();
    const outcome = await Promise.race([server.exited, new Promise((resolve) => setTimeout(() => resolve(null), 500))]);
    assert.equal(outcome, null, `the server process ended: ${server.stderr()}`);
    const answer = await fetch(`http://127.0.0.1:${server.port}/`, { method: 'HEAD' });
    assert.equal(answer.status, 200);
  } finally {
    server.proc.kill('SIGKILL');
    await server.exited;
  }
});
