// Several instances may serve one directory (processes, or machines on network storage): starting
// one sweeps only provably abandoned temporary upload files, never another instance's upload.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect, parseResponses, startCli } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const isTemp = (name) => name.startsWith('.wirehttp-upload-') && name.endsWith('.tmp');

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-shared-'));
});
after(() => rm(dir, { recursive: true, force: true }));

test('a second instance starting on the same directory leaves the first one\'s upload alone, and sweeps abandoned ones', async () => {
  // Left by a process killed an hour ago: abandoned. And one written a minute ago: maybe alive elsewhere.
  const abandoned = path.join(dir, '.wirehttp-upload-00000000000000aa.tmp');
  const recent = path.join(dir, '.wirehttp-upload-00000000000000bb.tmp');
  await writeFile(abandoned, 'x');
  await writeFile(recent, 'y');
  const hourAgo = new Date(Date.now() - 60 * 60_000);
  await utimes(abandoned, hourAgo, hourAgo);
  const minuteAgo = new Date(Date.now() - 60_000);
  await utimes(recent, minuteAgo, minuteAgo);

  const first = await startCli(['--directory', dir, '--quiet']);
  let second;
  try {
    const files = await readdir(dir);
    assert.ok(!files.includes(path.basename(abandoned)), 'the abandoned temporary file was swept');
    assert.ok(files.includes(path.basename(recent)), 'a recent temporary file was kept');

    const total = 512 * 1024;
    const socket = await connect(first.port);
    const chunks = [];
    socket.on('data', (d) => chunks.push(d));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(`PUT /files/shared.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: ${total}\r\nConnection: close\r\n\r\n`);
    socket.write(Buffer.alloc(total / 2, 0x73));
    let inFlight = [];
    for (let i = 0; i < 100 && inFlight.length === 0; i++) {
      await sleep(20);
      inFlight = (await readdir(dir)).filter((name) => isTemp(name) && !recent.endsWith(name));
    }
    assert.equal(inFlight.length, 1, 'the upload in flight has its temporary file');

    second = await startCli(['--directory', dir, '--quiet']);
    assert.ok((await readdir(dir)).includes(inFlight[0]), 'the second instance kept the upload in flight');

    socket.write(Buffer.alloc(total / 2, 0x73));
    await closed;
    assert.equal(parseResponses(Buffer.concat(chunks))[0].status, 201);
    const stored = await readFile(path.join(dir, 'shared.bin'));
    assert.equal(stored.length, total);
  } finally {
    await first.stop();
    await second?.stop();
  }
});
