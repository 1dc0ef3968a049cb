// File safety end to end against the real CLI: no way out of DIR (traversal, encodings,
// symlinks), no server paths in answers, and atomic uploads under disconnects and races.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect, exchange, parseResponses, startCli } from '../../helpers.mjs';
import { startFileServer } from './file-server.mjs';

let base; // holds served/ and outside/
let dir;
let outside;
let server;
const SECRET = 'top secret outside the served directory';

before(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'wirehttp-safety-'));
  dir = path.join(base, 'served');
  outside = path.join(base, 'outside');
  await mkdir(dir);
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), SECRET);
  await writeFile(path.join(dir, 'real.txt'), 'inside');
  await symlink(outside, path.join(dir, 'outlink'));
  await symlink(path.join(outside, 'secret.txt'), path.join(dir, 'outfile.txt'));
  await symlink(path.join(outside, 'created-through-link.txt'), path.join(dir, 'dangling.txt'));
  await symlink('real.txt', path.join(dir, 'inlink.txt'));
  await mkdir(path.join(dir, 'sub'));
  await symlink('../real.txt', path.join(dir, 'sub/up.txt'));
  server = await startFileServer(['--directory', dir]);
});
after(async () => {
  if (server.proc.exitCode !== null) console.error(server.stderr());
  await server.stop();
  await rm(base, { recursive: true, force: true });
});

async function rawRequest(head, body = '') {
  const { raw } = await exchange(server.port, Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]), { idleMs: 2000 });
  return parseResponses(raw)[0];
}

function request(method, target, body) {
  const length = body === undefined ? '' : `Content-Length: ${Buffer.byteLength(body)}\r\n`;
  return rawRequest(`${method} ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n${length}\r\n`, body);
}

/** Asserts an answer gives nothing away: no outside content, no server path, no stack trace. */
function assertRevealsNothing(res, label) {
  const text = res.body.toString('latin1') + JSON.stringify(res.headers);
  assert.ok(!text.includes(SECRET), `${label}: leaked the secret`);
  assert.ok(!text.includes(base), `${label}: leaked a server path`);
  assert.ok(!/\bat .*\.js:\d+/.test(text), `${label}: leaked a stack trace`);
}

async function tempFiles(root) {
  const entries = await readdir(root, { recursive: true });
  return entries.filter((name) => path.basename(name).startsWith('.wirehttp-upload-'));
}

async function waitFor(check, ms = 5000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

describe('path traversal', { timeout: 30_000 }, () => {
  const targets = [
    '/files/../outside/secret.txt',
    '/files/%2e%2e/outside/secret.txt',
    '/files/%2E%2E%2Foutside%2Fsecret.txt',
    '/files/..%2foutside%2fsecret.txt',
    '/files/..%5coutside%5csecret.txt',
    '/files/%252e%252e/outside/secret.txt',
    '/files/%252e%252e%252foutside%252fsecret.txt',
    '/files/sub/..%2f..%2foutside/secret.txt',
    '/files/./real.txt',
    '/files//etc/passwd',
    '/files/%2fetc%2fpasswd',
    '/files/real.txt%00.png',
    '/files/%00',
    '/files/a%0d%0aSet-Cookie:x',
    'http://localhost/files/%2e%2e/outside/secret.txt',
  ];

  test('encoded and plain ".." segments, backslashes, NUL and absolute paths answer 400 or 404', async () => {
    for (const target of [...targets, `/files/${encodeURIComponent(path.join(outside, 'secret.txt'))}`]) {
      for (const method of ['GET', 'DELETE']) {
        const res = await request(method, target);
        assert.ok([400, 404].includes(res.status), `${method} ${target}: ${res.status}`);
        assertRevealsNothing(res, `${method} ${target}`);
      }
    }
    assert.equal(await readFile(path.join(outside, 'secret.txt'), 'utf8'), SECRET);
  });

  test('writes with such names are refused and create nothing outside', async () => {
    for (const target of ['/files/..%2fescaped.txt', '/files/%2e%2e/escaped.txt', '/files/..%5cescaped.txt', '/files/%2fescaped.txt']) {
      for (const method of ['PUT', 'POST']) {
        const res = await request(method, target, 'payload');
        assert.ok([400, 404].includes(res.status), `${method} ${target}: ${res.status}`);
        assertRevealsNothing(res, target);
      }
    }
    assert.deepEqual((await readdir(base)).sort(), ['outside', 'served']);
    assert.deepEqual(await readdir(outside), ['secret.txt']);
  });

  test('a raw backslash or a NUL byte in the request line never reaches the disk', async () => {
    for (const target of ['/files/..\\outside\\secret.txt', '/files/real.txt\0']) {
      const res = await rawRequest(`GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      assert.ok([400, 404].includes(res.status), `${JSON.stringify(target)}: ${res.status}`);
      assertRevealsNothing(res, target);
    }
  });
});

describe('symlinks', { timeout: 30_000 }, () => {
  test('links whose real target is outside DIR answer 404 for reads, listings and deletes', async () => {
    for (const target of ['/files/outlink/secret.txt', '/files/outlink/', '/files/outfile.txt', '/files/dangling.txt']) {
      const res = await request('GET', target);
      assert.equal(res.status, 404, target);
      assertRevealsNothing(res, target);
      assert.equal((await request('DELETE', target)).status, 404, `DELETE ${target}`);
    }
    assert.equal(await readFile(path.join(outside, 'secret.txt'), 'utf8'), SECRET);
    assert.ok((await lstat(path.join(dir, 'outfile.txt'))).isSymbolicLink());
  });

  test('writes through a link that leads outside are refused and change nothing there', async () => {
    const writes = ['/files/outlink/new.txt', '/files/outlink/deeper/new.txt', '/files/outfile.txt', '/files/dangling.txt', '/files/outlink/secret.txt'];
    for (const target of writes) {
      for (const method of ['PUT', 'POST']) {
        const res = await request(method, target, 'overwritten');
        assert.equal(res.status, 404, `${method} ${target}`);
      }
    }
    assert.deepEqual(await readdir(outside), ['secret.txt']);
    assert.equal(await readFile(path.join(outside, 'secret.txt'), 'utf8'), SECRET);
    assert.equal((await request('POST', '/files/outlink/made/')).status, 404, 'mkdir through the link');
  });

  test('the listing leaves out links that lead outside', async () => {
    const res = await request('GET', '/files/');
    const data = /<script type="application\/json" id="listing-data">([^<]*)<\/script>/.exec(res.body.toString());
    const names = JSON.parse(data[1]).entries.map((entry) => entry[0]);
    assert.ok(names.includes('real.txt') && names.includes('inlink.txt'));
    for (const name of ['outlink', 'outfile.txt', 'dangling.txt']) assert.ok(!names.includes(name), name);
  });

  test('links that stay inside DIR are followed; writing through one updates its target', async () => {
    assert.equal((await request('GET', '/files/inlink.txt')).body.toString(), 'inside');
    assert.equal((await request('GET', '/files/sub/up.txt')).body.toString(), 'inside');
    assert.equal((await request('PUT', '/files/inlink.txt', 'updated')).status, 204);
    assert.equal(await readFile(path.join(dir, 'real.txt'), 'utf8'), 'updated');
    assert.equal(await readlink(path.join(dir, 'inlink.txt')), 'real.txt', 'still a link');
    assert.equal((await request('DELETE', '/files/sub/up.txt')).status, 204);
    await assert.rejects(lstat(path.join(dir, 'sub/up.txt')), { code: 'ENOENT' });
    assert.equal(await readFile(path.join(dir, 'real.txt'), 'utf8'), 'updated', 'deleting a link keeps its target');
  });
});

describe('atomic uploads', { timeout: 30_000 }, () => {
  test('a client that disconnects mid-upload leaves the previous version and no partial file', async () => {
    const previous = randomBytes(50_000);
    await writeFile(path.join(dir, 'keep.bin'), previous);
    const socket = await connect(server.port);
    socket.write(`PUT /files/keep.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n`);
    socket.write(randomBytes(300_000));
    await waitFor(async () => (await tempFiles(dir)).length > 0, 2000);
    socket.destroy();
    assert.ok(await waitFor(async () => (await tempFiles(dir)).length === 0), 'temp file removed');
    assert.deepEqual(await readFile(path.join(dir, 'keep.bin')), previous);
    await assert.rejects(stat(path.join(dir, 'new-never.bin')), { code: 'ENOENT' });
  });

  test('two concurrent uploads to one name never interleave: one whole version wins', async () => {
    const size = 2 * 1024 * 1024;
    const versions = [Buffer.alloc(size, 'A'), Buffer.alloc(size, 'B')];
    const sockets = await Promise.all(versions.map(() => connect(server.port)));
    const replies = sockets.map((socket) => {
      const chunks = [];
      socket.on('data', (d) => chunks.push(d));
      return new Promise((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks))));
    });
    sockets.forEach((s) => s.write(`PUT /files/race.bin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: ${size}\r\n\r\n`));
    const piece = 128 * 1024;
    for (let at = 0; at < size; at += piece) {
      sockets.forEach((s, i) => s.write(versions[i].subarray(at, at + piece)));
      await new Promise((r) => setImmediate(r));
    }
    const answers = (await Promise.all(replies)).map((raw) => parseResponses(raw)[0].status);
    assert.deepEqual(answers.map((s) => s >= 200 && s < 300), [true, true], `statuses ${answers}`);
    const stored = await readFile(path.join(dir, 'race.bin'));
    assert.ok(stored.equals(versions[0]) || stored.equals(versions[1]), 'one complete version');
    assert.deepEqual(await tempFiles(dir), []);
  });

  test('100 uploads cut at random points: no partial file, previous contents intact, no temp files', async () => {
    const previous = Buffer.from('the version that must survive\n');
    await writeFile(path.join(dir, 'target.txt'), previous);
    const attempt = async () => {
      const length = 20_000 + Math.floor(Math.random() * 200_000);
      const cut = Math.floor(Math.random() * length);
      const socket = await connect(server.port);
      socket.on('error', () => {});
      const chunked = Math.random() < 0.5;
      const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${length}`;
      const method = Math.random() < 0.5 ? 'PUT' : 'POST';
      socket.write(`${method} /files/target.txt HTTP/1.1\r\nHost: localhost\r\n${framing}\r\n\r\n`);
      const body = randomBytes(cut);
      socket.write(chunked ? Buffer.concat([Buffer.from(`${length.toString(16)}\r\n`), body]) : body);
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      if (Math.random() < 0.5) socket.end(); // a half-close, the rest a hard reset
      else socket.destroy();
      await new Promise((r) => setTimeout(r, 5));
      socket.destroy();
    };
    for (let round = 0; round < 10; round++) await Promise.all(Array.from({ length: 10 }, attempt));
    assert.ok(await waitFor(async () => (await tempFiles(dir)).length === 0), `temp files left: ${await tempFiles(dir)}`);
    assert.deepEqual(await readFile(path.join(dir, 'target.txt')), previous);
    // the server is still fine
    assert.equal((await request('GET', '/files/target.txt')).status, 200);
  });

  test('temp files are never served or listed, and abandoned ones are removed when the CLI starts', async () => {
    const staleDir = await mkdtemp(path.join(tmpdir(), 'wirehttp-stale-'));
    await mkdir(path.join(staleDir, 'nested'));
    const stale = ['.wirehttp-upload-0011223344556677.tmp', 'nested/.wirehttp-upload-8899aabbccddeeff.tmp'];
    // Left by a server killed an hour ago: untouched for longer than a live upload ever is.
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    for (const name of stale) {
      await writeFile(path.join(staleDir, name), 'half an upload');
      await utimes(path.join(staleDir, name), hourAgo, hourAgo);
    }
    await writeFile(path.join(staleDir, 'nested/kept.txt'), 'kept');
    const other = await startCli(['--directory', staleDir]);
    try {
      assert.deepEqual(await tempFiles(staleDir), []);
      assert.equal(await readFile(path.join(staleDir, 'nested/kept.txt'), 'utf8'), 'kept');
    } finally {
      await other.stop();
      await rm(staleDir, { recursive: true, force: true });
    }
    await writeFile(path.join(dir, '.wirehttp-upload-ffeeddccbbaa9988.tmp'), 'in progress');
    assert.equal((await request('GET', '/files/.wirehttp-upload-ffeeddccbbaa9988.tmp')).status, 404);
    const listing = await request('GET', '/files/');
    assert.ok(!listing.body.toString().includes('wirehttp-upload-'));
  });
});
