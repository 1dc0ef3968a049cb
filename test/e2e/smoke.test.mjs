import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { exchange, parseResponses, startCli } from '../helpers.mjs';

let server;
before(async () => {
  server = await startCli();
});
after(() => server.stop());

test('GET / answers 200 OK with Date and Content-Length', async () => {
  const { raw } = await exchange(server.port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  const [res] = parseResponses(raw);
  assert.equal(res.status, 200);
  assert.equal(res.reason, 'OK');
  assert.ok(res.headers.date);
  assert.equal(res.headers['content-length'], '0');
});
