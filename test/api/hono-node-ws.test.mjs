// Hono's WebSocket adapter for Node, @hono/node-ws, unchanged on serve({ fetch }): its
// injectWebSocket(server) listens for 'upgrade' as on a node:http server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createNodeWebSocket } from '@hono/node-ws';
import { Hono } from 'hono';
import WebSocket from 'ws';
import { serve } from '../../dist/index.js';

let server;
let origin;
before(async () => {
  const app = new Hono();
  const { injectWebSocket, upgradeWebSocket } = createNodeWebSocket({ app });
  app.get('/ws', upgradeWebSocket((c) => ({
    onOpen: (_event, ws) => ws.send(`hello ${c.req.query('name')}`),
    onMessage: (event, ws) => ws.send(event.data),
  })));
  app.get('/text', (c) => c.text('plain answer'));
  let listening;
  const address = new Promise((resolve) => (listening = resolve));
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, listening);
  injectWebSocket(server);
  origin = `127.0.0.1:${(await address).port}`;
});
after(() => server.close(100));

function open(url) {
  const ws = new WebSocket(url);
  const inbox = [];
  const waiting = [];
  ws.on('message', (data, isBinary) => {
    const message = { data, isBinary };
    const next = waiting.shift();
    if (next === undefined) inbox.push(message);
    else next(message);
  });
  const receive = () => (inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve)));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, receive }));
    ws.once('error', reject);
  });
}

test('an upgradeWebSocket route echoes text, binary and a 200 KB frame; plain routes answer afterwards', async () => {
  const { ws, receive } = await open(`ws://${origin}/ws?name=Ada`);
  assert.equal((await receive()).data.toString(), 'hello Ada');
  ws.send('grüße');
  const text = await receive();
  assert.equal(text.isBinary, false);
  assert.equal(text.data.toString(), 'grüße');
  const big = Buffer.alloc(200 * 1024);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  ws.send(big);
  const binary = await receive();
  assert.equal(binary.isBinary, true);
  assert.deepEqual(binary.data, big);
  const closed = new Promise((resolve) => ws.once('close', resolve));
  ws.close();
  await closed;
  const res = await fetch(`http://${origin}/text`);
  assert.equal(await res.text(), 'plain answer');
});

test('an upgrade to a route that does not upgrade gets the app\'s status, and the socket closes', async () => {
  await assert.rejects(open(`ws://${origin}/nowhere`), /Unexpected server response: 404/);
  await assert.rejects(open(`ws://${origin}/text`), /Unexpected server response: 200/);
});
