// Connection-layer behaviours that once failed: large pipelined batches and bodies abandoned
// before any handler listened.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';
import { createServer, Router } from '../../dist/index.js';
import { exchange, parseResponses } from '../helpers.mjs';

let server;
let port;
before(async () => {
  const router = new Router()
    .get('/echo/:text', (req, res) => res.end(req.params.text))
    .post('/slow', async (req, res) => {
      // Reads nothing for a while: the body is buffered, or abandoned, meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 100));
      res.end('late');
    });
  server = createServer(router.handle);
  [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
});
after(() => server.close(100));

test('1000 requests pipelined in one write are all answered, in order', async () => {
  const requests = Array.from({ length: 1000 }, (_, i) => `GET /echo/r${i} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');
  const { raw } = await exchange(port, requests, { idleMs: 1000 });
  const responses = parseResponses(raw);
  assert.equal(responses.length, 1000);
  responses.forEach((res, i) => assert.equal(res.body.toString(), `r${i}`));
});

test('a client leaving mid-body before the handler reads it does not bring the server down', async () => {
  await new Promise((resolve) => {
    const client = net.connect(port, '127.0.0.1', () => {
      client.write('POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789');
      setTimeout(() => client.destroy(), 20);
    });
    client.on('close', resolve);
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  const { raw } = await exchange(port, 'GET /echo/alive HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.equal(parseResponses(raw)[0].body.toString(), 'alive');
});
