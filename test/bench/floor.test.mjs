// The floor server must answer exactly once per request however the bytes are split, or its
// CPU per request would be wrong.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const FLOOR = fileURLToPath(new URL('../../bench/reference-floor.mjs', import.meta.url));
const RESPONSE = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok';
let dir;
let responseFile;

before(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-floor-'));
  responseFile = path.join(dir, 'response.http');
  writeFileSync(responseFile, RESPONSE);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the floor; resolves { port, stop } once it accepts connections. */
async function startFloor(perRequest, bodyBytes) {
  const port = await freePort();
  const proc = spawn(process.execPath, [FLOOR, String(port), responseFile, String(perRequest), String(bodyBytes)], { stdio: 'ignore' });
  for (let attempt = 0; attempt < 100; attempt++) {
    const up = await new Promise((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => resolve(socket.destroy() ?? true));
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, stop: () => proc.kill() };
}

/** Writes `pieces` one by one (a pause between them) and counts responses until 300 ms of quiet. */
function responsesTo(port, pieces) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let received = '';
    let quiet;
    const settle = () => {
      clearTimeout(quiet);
      quiet = setTimeout(() => {
        socket.destroy();
        resolve(received.split(RESPONSE).length - 1);
      }, 300);
    };
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      settle();
    });
    socket.once('error', reject);
    socket.once('connect', async () => {
      for (const piece of pieces) {
        socket.write(piece);
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
      settle();
    });
  });
}

const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

test('one answer per request: pipelined, and with a head end split across reads', async () => {
  const floor = await startFloor(1, 0);
  try {
    assert.equal(await responsesTo(floor.port, [GET.repeat(16)]), 16);
    assert.equal(await responsesTo(floor.port, [GET.slice(0, -1), '\n', GET.slice(0, -2), '\r\n', GET.slice(0, -3), '\n\r\n']), 3);
    // The end of a head already counted must not make a new one with the bytes that follow.
    assert.equal(await responsesTo(floor.port, [GET, '\r\n']), 1);
  } finally {
    floor.stop();
  }
});

test('a Content-Length body is skipped, even when it holds a head end, before the answer', async () => {
  const floor = await startFloor(1, 8);
  try {
    const post = 'POST / HTTP/1.1\r\nContent-Length: 8\r\n\r\n';
    assert.equal(await responsesTo(floor.port, [post, 'ab\r\n\r\n', 'cd']), 1);
    assert.equal(await responsesTo(floor.port, [post + 'ab\r\n', '\r\ncd' + post + '12345678']), 2);
    assert.equal(await responsesTo(floor.port, [post + 'abc']), 0);
  } finally {
    floor.stop();
  }
});

test('a chunked body counts as one request: its head end and its last chunk', async () => {
  const floor = await startFloor(2, 0);
  try {
    const post = 'POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nu\r\n1\r\nu\r\n0\r\n\r\n';
    assert.equal(await responsesTo(floor.port, [post + post, post.slice(0, 20), post.slice(20)]), 3);
  } finally {
    floor.stop();
  }
});
