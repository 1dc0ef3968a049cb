// Connection's state-machine cases, driven through a fake socket (no TCP): what only a real
// socket shows stays in the end-to-end tests.
import test from 'node:test';
import assert from 'node:assert/strict';
import { connect, settle } from './fake-socket.mjs';

const GET = (path, extra = '') => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
const POST = (path, body, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${Buffer.byteLength(body, 'latin1')}\r\n${extra}\r\n${body}`;

test('pipelined requests are answered in order even when the first answers last', async () => {
  const started = [];
  let finishFirst;
  const { socket } = connect((req, res) => {
    started.push(req.path);
    if (req.path === '/slow') {
      finishFirst = () => res.end('slow');
      return;
    }
    res.end(req.path);
  });
  socket.send(GET('/slow') + GET('/a') + GET('/b'));
  assert.deepEqual(started, ['/slow'], 'one exchange at a time');
  finishFirst();
  await settle();
  assert.deepEqual(started, ['/slow', '/a', '/b']);
  const bodies = [...socket.output.matchAll(/\r\n\r\n(slow|\/a|\/b)/g)].map((m) => m[1]);
  assert.deepEqual(bodies, ['slow', '/a', '/b']);
  assert.equal(socket.ended, false, 'keep-alive');
});

test('100 Continue is sent when the handler asks for the body, not before', async () => {
  let body = null;
  let ask;
  const { socket } = connect((req, res) => {
    ask = async () => {
      body = await req.text();
      res.end('got ' + body);
    };
  });
  socket.send('POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
  assert.equal(socket.output, '', 'nothing owed until the body is wanted');
  const done = ask();
  await settle();
  assert.match(socket.output, /^HTTP\/1\.1 100 Continue\r\n\r\n$/);
  socket.send('hello');
  await done;
  assert.equal(body, 'hello');
  assert.deepEqual(socket.statuses, [100, 200]);
  assert.doesNotMatch(socket.output, /Connection: close/i);
});

test('answering without reading a 100-continue body closes the connection', async () => {
  const { socket } = connect((req, res) => {
    res.status = 403;
    res.end();
  });
  socket.send('POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n');
  await settle();
  assert.deepEqual(socket.statuses, [403]);
  assert.match(socket.output, /Connection: close/i);
  assert.equal(socket.ended, true);
});

test('an unread body is discarded and the next pipelined request is served', async () => {
  const seen = [];
  const { socket } = connect((req, res) => {
    seen.push(req.path);
    res.end('ok');
  });
  socket.send(POST('/ignored', 'x'.repeat(1000)) + GET('/next'));
  await settle();
  assert.deepEqual(seen, ['/ignored', '/next']);
  assert.deepEqual(socket.statuses, [200, 200]);
  assert.equal(socket.ended, false);
});

test('an unread body over the discard limit: the response says close and the connection ends', async () => {
  const { socket } = connect((req, res) => res.end('early'), { maxDiscardBytes: 100 });
  socket.send(`POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n`);
  await settle();
  assert.match(socket.output, /Connection: close/i);
  socket.send('y'.repeat(1000));
  assert.equal(socket.ended, true);
});

test('a slow body consumer pauses reading; reading the body resumes it', async () => {
  let req;
  const { socket } = connect((r, res) => {
    req = r;
    req.body; // the stream exists but nobody reads: its buffer fills
    res.end();
  }, { maxDiscardBytes: 0 });
  socket.send(`POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n`);
  // The response is already complete here, so the rest is discarded: no pause.
  socket.send('z'.repeat(100_000));
  assert.equal(socket.paused, false);
  assert.equal(socket.ended, true, 'over the discard limit');

  let consumer;
  const second = connect((r, res) => {
    consumer = r;
    r.body.on('end', () => res.end());
  });
  second.socket.send(`POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n` + 'z'.repeat(100_000));
  assert.equal(second.socket.paused, true, 'the body buffer is full');
  const chunks = [];
  consumer.body.on('data', (chunk) => chunks.push(chunk));
  await settle();
  await settle();
  assert.equal(second.socket.paused, false, 'the consumer asked for more');
  second.socket.send('z'.repeat(100_000));
  await settle();
  assert.equal(Buffer.concat(chunks).length, 200_000);
  assert.deepEqual(second.socket.statuses, [200]);
});

test('pipelined bytes past the buffer limit pause reading until the exchange finishes', async () => {
  let finish;
  const { socket } = connect((req, res) => {
    if (req.path === '/slow') finish = () => res.end();
    else res.end();
  }, { maxPipelineBufferBytes: 100 });
  socket.send(GET('/slow') + GET('/a', 'X-Pad: ' + 'p'.repeat(200) + '\r\n'));
  assert.equal(socket.paused, true);
  finish();
  await settle();
  assert.equal(socket.paused, false);
  assert.deepEqual(socket.statuses, [200, 200]);
});

test('a client not reading its responses stops further pipelined requests until drain', async () => {
  const seen = [];
  const { socket } = connect((req, res) => {
    seen.push(req.path);
    socket.writableNeedDrain = true; // the socket refuses more after this response
    res.end('x');
  });
  socket.send(GET('/1') + GET('/2'));
  assert.deepEqual(seen, ['/1']);
  assert.equal(socket.paused, true, 'no more input while output is backed up');
  socket.writableNeedDrain = false;
  socket.emit('drain');
  assert.deepEqual(seen, ['/1', '/2']);
});

test('while output is backed up, new input waits in the parser and no request starts', async () => {
  const seen = [];
  const { socket } = connect((req, res) => {
    seen.push(req.path);
    if (req.path === '/1') socket.writableNeedDrain = true;
    res.end();
  });
  socket.send(GET('/1'));
  await settle();
  socket.send(GET('/2') + GET('/3'));
  await settle();
  assert.deepEqual(seen, ['/1']);
  assert.equal(socket.paused, true, 'still waiting for drain');
  socket.writableNeedDrain = false;
  socket.emit('drain');
  assert.deepEqual(seen, ['/1', '/2', '/3']);
  assert.equal(socket.paused, false);
});

test('keep-alive decisions: HTTP/1.1 stays, Connection: close and HTTP/1.0 close', async () => {
  const handler = (req, res) => res.end('k');
  const kept = connect(handler);
  kept.socket.send(GET('/'));
  await settle();
  assert.equal(kept.socket.ended, false);
  assert.doesNotMatch(kept.socket.output, /Connection:/i);

  const asked = connect(handler);
  asked.socket.send(GET('/', 'Connection: close\r\n'));
  await settle();
  assert.match(asked.socket.output, /Connection: close/i);
  assert.equal(asked.socket.ended, true);

  const old = connect(handler);
  old.socket.send('GET / HTTP/1.0\r\n\r\n');
  await settle();
  assert.equal(old.socket.ended, true);

  const oldKept = connect(handler);
  oldKept.socket.send('GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
  await settle();
  assert.match(oldKept.socket.output, /Connection: keep-alive/i);
  assert.equal(oldKept.socket.ended, false);
});

test('the handler asking to close, and shutdown, end the connection after the response', async () => {
  const closing = connect((req, res) => res.closeConnection().end());
  closing.socket.send(GET('/') + GET('/never'));
  await settle();
  assert.deepEqual(closing.socket.statuses, [200]);
  assert.equal(closing.socket.ended, true);

  let finish;
  const busy = connect((req, res) => {
    finish = () => res.end();
  });
  busy.socket.send(GET('/'));
  busy.connection.shutDown();
  assert.equal(busy.socket.ended, false, 'the exchange in progress finishes first');
  finish();
  assert.match(busy.socket.output, /Connection: close/i);
  assert.equal(busy.socket.ended, true);

});

test('shutdown keeps an idle connection until its idle deadline: a request already on its way is answered with close', () => {
  const idle = connect((req, res) => res.end());
  idle.socket.send(GET('/'));
  idle.connection.shutDown();
  assert.equal(idle.socket.ended, false, 'not closed at once: a proxy may have sent a request on it');
  idle.socket.send(GET('/late'));
  assert.deepEqual(idle.socket.statuses, [200, 200]);
  assert.match(idle.socket.output.split('HTTP/1.1 200').at(-1), /Connection: close/i);
  assert.equal(idle.socket.ended, true);

  // Nothing comes: it closes when its idle deadline passes, as it would have anyway.
  const quiet = connect((req, res) => res.end());
  quiet.socket.send(GET('/'));
  const idleUntil = quiet.connection.deadlineAt;
  quiet.connection.shutDown();
  assert.equal(quiet.connection.deadlineAt, idleUntil, 'the idle deadline is neither cut short nor restarted');
  assert.equal(quiet.socket.ended, false);
  quiet.connection.expire();
  assert.equal(quiet.socket.ended, true);
});

test('unknown methods get 501 and bad expectations 417 before any handler runs', async () => {
  let called = false;
  const handler = () => {
    called = true;
  };
  const a = connect(handler);
  a.socket.send('BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n');
  const b = connect(handler);
  b.socket.send('GET / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n');
  assert.deepEqual(a.socket.statuses, [501]);
  assert.deepEqual(b.socket.statuses, [417]);
  assert.equal(called, false);
  assert.equal(a.socket.ended && b.socket.ended, true);
});

test('a handler error becomes a 500 and the connection stays usable', async () => {
  const errors = [];
  const { socket } = connect(
    (req, res) => {
      if (req.path === '/bad') throw new Error('secret detail');
      res.end();
    },
    { onError: (e) => errors.push(e) },
  );
  socket.send(GET('/bad') + GET('/good'));
  await settle();
  assert.deepEqual(socket.statuses, [500, 200]);
  assert.doesNotMatch(socket.output, /secret detail/);
  assert.equal(errors.length, 1);
});

test('a truncated body fails the handler\'s read and the connection closes', async () => {
  let failure = null;
  const { socket } = connect(async (req, res) => {
    try {
      await req.text();
    } catch (error) {
      failure = error;
    }
    res.end();
  });
  socket.send(`POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc`);
  socket.emit('end');
  await settle();
  await settle();
  assert.match(String(failure?.message), /before the body was complete/);
  assert.equal(socket.ended, true);
});

test('a handler writing in a loop while a read is batched is told to wait, and its wait ends', async () => {
  let writes = 0;
  let waited = false;
  const { socket } = connect(async (req, res) => {
    const chunk = Buffer.alloc(4096, 0x61);
    // Synchronous until the first false: without backpressure in the batch, this never ends.
    while (writes < 10_000 && res.write(chunk)) writes++;
    await res.drain();
    waited = true;
    res.end();
  });
  socket.send(GET('/'));
  await settle();
  assert.ok(writes < 10_000, 'write() returned false before the batch grew without bound');
  assert.equal(waited, true);
  assert.deepEqual(socket.statuses, [200]);
});
