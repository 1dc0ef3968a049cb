// Hostile WebDAV requests against the real CLI: a clear error, nothing changed, memory flat.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { connect, parseResponses, rssOf, startCli } from '../../../helpers.mjs';
import { dav } from './dav-client.mjs';

let dir;
let server;
const req = (...args) => dav(server.port, ...args);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-dav-hostile-'));
  await writeFile(path.join(dir, 'file.txt'), 'x');
  server = await startCli(['--directory', dir]);
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
});

const patch = (inner) => `<?xml version="1.0"?><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop>${inner}</D:prop></D:set></D:propertyupdate>`;

test('bad XML, DTDs, entity expansion and external entities: 400, and nothing stored', async () => {
  const bodies = [
    patch('<unclosed xmlns="urn:x">'),
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;"><!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;"><!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;"><!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;"><!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;"><!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]><D:propertyupdate xmlns:D="DAV:"><D:set><D:prop><x xmlns="urn:x">&lol9;</x></D:prop></D:set></D:propertyupdate>`,
    `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${patch('<x xmlns="urn:x">&xxe;</x>')}`,
    patch('<x xmlns="urn:x">&undeclared;</x>'),
    patch('<y:x/>'),
  ];
  for (const body of bodies) {
    const res = await req('PROPPATCH', '/files/file.txt', { body });
    assert.equal(res.status, 400, body.slice(0, 80));
    assert.match(res.body.toString(), /XML|DOCTYPE/);
  }
  const lock = await req('LOCK', '/files/file.txt', { body: '<lockinfo xmlns="DAV:"><lockscope>' });
  assert.equal(lock.status, 400);
  const metadata = await readdir(path.join(dir, '.wirehttp')).catch(() => []);
  assert.ok(!metadata.includes('props.json') && !metadata.includes('locks.json'), `nothing stored: ${metadata}`);
});

/**
 * Streams a 100 MB PROPFIND body (`chunked` or with Content-Length) made of `filler` until
 * the server answers and closes. Resolves { status, sent, grownBytes }.
 */
async function hugePropfind({ chunked, filler }) {
  const block = Buffer.alloc(1024 * 1024, filler);
  const total = 100 * block.length;
  const frame = (data) => (chunked ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')]) : data);
  const before = await rssOf(server.pid);
  const socket = await connect(server.port);
  const chunks = [];
  let closed = false;
  socket.on('data', (d) => chunks.push(d));
  const ended = new Promise((resolve) => {
    socket.on('close', () => {
      closed = true;
      resolve();
    });
    socket.on('error', resolve);
  });
  const framing = chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${total}`;
  socket.write(`PROPFIND /files/ HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nDepth: 1\r\n${framing}\r\n\r\n`);
  let sent = 0;
  while (sent < total && !closed) {
    if (!socket.write(frame(block))) await Promise.race([new Promise((r) => socket.once('drain', r)), ended]);
    sent += block.length;
  }
  socket.end();
  await ended;
  const [res] = parseResponses(Buffer.concat(chunks));
  return { status: res.status, sent, grownBytes: (await rssOf(server.pid)) - before };
}

test('a 100 MB PROPFIND body: 413 (at once for Content-Length, after 1 MiB when chunked), memory flat', { timeout: 60_000 }, async () => {
  // Warm up, so the parser's modules are loaded before memory is measured.
  await req('PROPFIND', '/files/', { headers: { Depth: '0' }, body: '<propfind xmlns="DAV:"><allprop/></propfind>' });
  for (const chunked of [false, true]) {
    const { status, sent, grownBytes } = await hugePropfind({ chunked, filler: ' ' });
    console.log(`chunked ${chunked}: client sent ${(sent / 1048576).toFixed(0)} MiB, server RSS +${(grownBytes / 1048576).toFixed(1)} MiB`);
    assert.equal(status, 413, `chunked: ${chunked}`);
    assert.ok(sent < 100 * 1024 * 1024, `the server stopped reading (client sent ${sent} bytes)`);
    assert.ok(grownBytes < 32 * 1024 * 1024, `chunked: ${chunked}: RSS grew by ${(grownBytes / 1048576).toFixed(1)} MiB`);
  }
  const elements = await hugePropfind({ chunked: true, filler: '<D:allprop xmlns:D="DAV:"/>' });
  assert.equal(elements.status, 400, 'a flood of elements stops at the element bound');
  console.log(`elements: server RSS +${(elements.grownBytes / 1048576).toFixed(1)} MiB`);
  assert.ok(elements.grownBytes < 32 * 1024 * 1024, `RSS grew by ${(elements.grownBytes / 1048576).toFixed(1)} MiB`);
});

test('Depth infinity on a big tree: refused at once, the tree untouched', { timeout: 60_000 }, async () => {
  for (let i = 0; i < 50; i++) {
    await mkdir(path.join(dir, `big/d${i}`), { recursive: true });
    await Promise.all(Array.from({ length: 100 }, (_, j) => writeFile(path.join(dir, `big/d${i}/f${j}`), '')));
  }
  const started = Date.now();
  const res = await req('PROPFIND', '/files/big/', { headers: { Depth: 'infinity' } });
  assert.equal(res.status, 403);
  assert.match(res.body.toString(), /propfind-finite-depth/);
  assert.ok(Date.now() - started < 2000);
  const one = await req('PROPFIND', '/files/big/', { headers: { Depth: '1' } });
  assert.equal(one.status, 207);
  assert.equal((one.body.toString().match(/<D:response>/g) ?? []).length, 51);
});

test('malformed WebDAV headers: 400 with a short reason', async () => {
  const cases = [
    ['PROPFIND', '/files/', { Depth: '2' }],
    ['COPY', '/files/file.txt', { Destination: '/files/x', Overwrite: 'maybe' }],
    ['COPY', '/files/file.txt', {}],
    ['PUT', '/files/file.txt', { If: '(<unterminated' }],
    ['UNLOCK', '/files/file.txt', { 'Lock-Token': 'no-brackets' }],
  ];
  for (const [method, target, headers] of cases) {
    const res = await req(method, target, { headers, body: method === 'PUT' ? 'y' : undefined });
    assert.equal(res.status, 400, `${method} ${JSON.stringify(headers)}`);
  }
});
