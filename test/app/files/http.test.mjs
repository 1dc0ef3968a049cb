// The file server's HTTP semantics, end to end against the real CLI: methods, media types,
// validators and conditional requests, ranges, content coding, listings, hidden files.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { exchange, parseResponses } from '../../helpers.mjs';
import { libraryMount, startFileServer } from './file-server.mjs';

/** The names in a listing page's data block (the page renders its rows from it). */
function pageNames(html) {
  const data = /<script type="application\/json" id="listing-data">([^<]*)<\/script>/.exec(html);
  return JSON.parse(data[1]).entries.map((entry) => entry[0]);
}

let dir;
let server;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-files-'));
  server = await startFileServer(['--directory', dir]);
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

/** One request on its own connection; resolves the parsed response. */
async function request(method, target, { headers = {}, body } = {}) {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: localhost', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  const data = body === undefined ? head : Buffer.concat([head, Buffer.from(body)]);
  const { raw } = await exchange(server.port, data, { idleMs: 2000 });
  const [res] = parseResponses(raw, { headRequests: method === 'HEAD' ? [0] : [] });
  return res;
}

const url = (name) => `http://127.0.0.1:${server.port}/files/${name}`;

describe('methods', { timeout: 30_000 }, () => {
  test('GET keeps serving the exact bytes; HEAD sends the same headers and no body', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 13, 10]);
    await writeFile(path.join(dir, 'blob.bin'), bytes);
    const get = await request('GET', '/files/blob.bin');
    assert.equal(get.status, 200);
    assert.deepEqual(get.body, bytes);
    assert.equal(get.headers['content-type'], 'application/octet-stream');
    const head = await request('HEAD', '/files/blob.bin');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    for (const name of ['content-type', 'content-length', 'etag', 'last-modified', 'accept-ranges', 'cache-control']) {
      assert.equal(head.headers[name], get.headers[name], name);
    }
  });

  test('POST creates with 201 and stores the exact bytes', async () => {
    const body = Buffer.from('posted \u00e9\r\n\0 bytes');
    const res = await request('POST', '/files/posted.dat', { body, headers: { 'Content-Type': 'application/octet-stream' } });
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, '/files/posted.dat');
    assert.deepEqual(await readFile(path.join(dir, 'posted.dat')), body);
  });

  test('PUT creates (201), replaces (204); DELETE removes (204) then 404', async () => {
    const created = await request('PUT', '/files/put.txt', { body: 'one' });
    assert.equal(created.status, 201);
    const replaced = await request('PUT', '/files/put.txt', { body: 'two!' });
    assert.equal(replaced.status, 204);
    assert.equal(await readFile(path.join(dir, 'put.txt'), 'utf8'), 'two!');
    assert.equal((await request('DELETE', '/files/put.txt')).status, 204);
    await assert.rejects(stat(path.join(dir, 'put.txt')), { code: 'ENOENT' });
    assert.equal((await request('DELETE', '/files/put.txt')).status, 404);
  });

  test('OPTIONS answers 204 with Allow; other methods get 405 with Allow', async () => {
    const options = await request('OPTIONS', '/files/anything');
    assert.equal(options.status, 204);
    const allowed = options.headers.allow.split(/,\s*/).sort();
    // serveFiles has no WebDAV: the CLI's /files/ has.
    if (libraryMount) {
      assert.deepEqual(allowed, ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
      assert.equal(options.headers.dav, undefined);
    } else {
      assert.deepEqual(allowed, ['COPY', 'DELETE', 'GET', 'HEAD', 'LOCK', 'MKCOL', 'MOVE', 'OPTIONS', 'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PUT', 'UNLOCK']);
      assert.equal(options.headers.dav, '1, 2');
    }
    for (const method of ['TRACE']) {
      const res = await request(method, '/files/anything');
      assert.equal(res.status, 405, method);
      assert.deepEqual(res.headers.allow.split(/,\s*/).sort(), allowed);
    }
  });

  test('subdirectories: writing into a missing one creates it, reading works through it', async () => {
    const res = await request('PUT', '/files/deep/er/file.txt', { body: 'nested' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, '/files/deep/er/file.txt');
    assert.equal(await readFile(path.join(dir, 'deep/er/file.txt'), 'utf8'), 'nested');
    const get = await request('GET', '/files/deep/er/file.txt');
    assert.equal(get.body.toString(), 'nested');
  });

  test('a file in the way of a directory gives 409, writing onto a directory 409', async () => {
    await writeFile(path.join(dir, 'plain'), 'x');
    assert.equal((await request('PUT', '/files/plain/child.txt', { body: 'y' })).status, 409);
    await mkdir(path.join(dir, 'adir'), { recursive: true });
    assert.equal((await request('PUT', '/files/adir', { body: 'y' })).status, 409);
  });

  test('POST to a name ending in "/" creates a folder (201), a second time 409', async () => {
    const res = await request('POST', '/files/made/inner/');
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, '/files/made/inner/');
    assert.ok((await stat(path.join(dir, 'made/inner'))).isDirectory());
    assert.equal((await request('POST', '/files/made/inner/')).status, 409);
  });

  test('DELETE on a folder removes it with everything in it (RFC 4918 §9.6.1)', async () => {
    await mkdir(path.join(dir, 'full/sub'), { recursive: true });
    await writeFile(path.join(dir, 'full/sub/f'), 'x');
    if (libraryMount) {
      // Without WebDAV, DELETE removes only what is empty.
      assert.equal((await request('DELETE', '/files/full/')).status, 409);
      assert.equal((await request('DELETE', '/files/full/sub/f')).status, 204);
      assert.equal((await request('DELETE', '/files/full/sub/')).status, 204);
    }
    assert.equal((await request('DELETE', '/files/full/')).status, 204);
    await assert.rejects(stat(path.join(dir, 'full')), { code: 'ENOENT' });
    assert.equal((await request('DELETE', '/files/full/')).status, 404);
  });

  test('chunked request bodies upload correctly with POST and PUT', async () => {
    for (const method of ['POST', 'PUT']) {
      const name = `chunked-${method}.bin`;
      const pieces = [Buffer.alloc(5000, 1), Buffer.from('middle'), Buffer.alloc(70000, 2)];
      const chunks = pieces.map((p) => Buffer.concat([Buffer.from(`${p.length.toString(16)}\r\n`), p, Buffer.from('\r\n')]));
      const head = `${method} /files/${name} HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
      const { raw } = await exchange(server.port, [head, ...chunks, '0\r\n\r\n'], { delayMs: 10, idleMs: 2000 });
      const [res] = parseResponses(raw);
      assert.equal(res.status, 201, method);
      assert.deepEqual(await readFile(path.join(dir, name)), Buffer.concat(pieces));
    }
  });
});

describe('media types', { timeout: 30_000 }, () => {
  test('Content-Type comes from the name; text carries charset=utf-8; unknown is octet-stream', async () => {
    const cases = {
      'page.html': 'text/html; charset=utf-8',
      'notes.txt': 'text/plain; charset=utf-8',
      'data.json': 'application/json; charset=utf-8',
      'pic.png': 'image/png',
      'no-extension': 'application/octet-stream',
      'weird.zzzunknown': 'application/octet-stream',
    };
    for (const name of Object.keys(cases)) await writeFile(path.join(dir, name), 'x');
    for (const [name, type] of Object.entries(cases)) {
      assert.equal((await request('GET', `/files/${name}`)).headers['content-type'], type, name);
    }
  });
});

describe('validators and conditional requests', { timeout: 30_000 }, () => {
  let etag;
  let modified;
  before(async () => {
    await writeFile(path.join(dir, 'cond.txt'), 'conditional');
    const when = new Date('2024-01-02T03:04:05Z');
    await utimes(path.join(dir, 'cond.txt'), when, when);
    const res = await request('GET', '/files/cond.txt');
    etag = res.headers.etag;
    modified = res.headers['last-modified'];
  });

  test('every file response has a strong ETag, Last-Modified and Cache-Control: no-cache', () => {
    assert.match(etag, /^"[^"]+"$/);
    assert.equal(modified, 'Tue, 02 Jan 2024 03:04:05 GMT');
  });

  test('If-None-Match and If-Modified-Since give 304 when current, 200 otherwise', async () => {
    const hit = await request('GET', '/files/cond.txt', { headers: { 'If-None-Match': `"other", ${etag}` } });
    assert.equal(hit.status, 304);
    assert.equal(hit.headers.etag, etag);
    assert.equal(hit.body.length, 0);
    assert.equal((await request('GET', '/files/cond.txt', { headers: { 'If-None-Match': '"other"' } })).status, 200);
    assert.equal((await request('GET', '/files/cond.txt', { headers: { 'If-None-Match': `W/${etag}` } })).status, 304);
    assert.equal((await request('GET', '/files/cond.txt', { headers: { 'If-Modified-Since': modified } })).status, 304);
    const older = 'Mon, 01 Jan 2024 00:00:00 GMT';
    assert.equal((await request('GET', '/files/cond.txt', { headers: { 'If-Modified-Since': older } })).status, 200);
    // If-None-Match wins over If-Modified-Since
    const both = { 'If-None-Match': '"other"', 'If-Modified-Since': modified };
    assert.equal((await request('GET', '/files/cond.txt', { headers: both })).status, 200);
  });

  test('If-Match and If-Unmodified-Since give 412 on GET, PUT and DELETE', async () => {
    const stale = { 'If-Match': '"not-the-tag"' };
    assert.equal((await request('GET', '/files/cond.txt', { headers: stale })).status, 412);
    assert.equal((await request('PUT', '/files/cond.txt', { headers: stale, body: 'new' })).status, 412);
    assert.equal((await request('DELETE', '/files/cond.txt', { headers: stale })).status, 412);
    const past = { 'If-Unmodified-Since': 'Mon, 01 Jan 2024 00:00:00 GMT' };
    assert.equal((await request('PUT', '/files/cond.txt', { headers: past, body: 'new' })).status, 412);
    assert.equal((await request('DELETE', '/files/cond.txt', { headers: past })).status, 412);
    assert.equal(await readFile(path.join(dir, 'cond.txt'), 'utf8'), 'conditional');
    assert.equal((await request('GET', '/files/cond.txt', { headers: { 'If-Match': etag } })).status, 200);
  });

  test('PUT with If-None-Match: * only creates; If-Match with the current tag replaces', async () => {
    const guard = { 'If-None-Match': '*' };
    assert.equal((await request('PUT', '/files/cond.txt', { headers: guard, body: 'x' })).status, 412);
    assert.equal((await request('PUT', '/files/fresh.txt', { headers: guard, body: 'x' })).status, 201);
    assert.equal((await request('PUT', '/files/cond.txt', { headers: { 'If-Match': etag }, body: 'replaced' })).status, 204);
    assert.equal(await readFile(path.join(dir, 'cond.txt'), 'utf8'), 'replaced');
    const after = await request('GET', '/files/cond.txt');
    assert.notEqual(after.headers.etag, etag);
  });
});

describe('ranges', { timeout: 30_000 }, () => {
  const content = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
  before(() => writeFile(path.join(dir, 'range.txt'), content));
  const get = (range, extra = {}) => request('GET', '/files/range.txt', { headers: { Range: range, ...extra } });

  test('a single range gives 206 with Content-Range; suffix and open-ended forms work', async () => {
    assert.equal((await request('GET', '/files/range.txt')).headers['accept-ranges'], 'bytes');
    const cases = [
      ['bytes=0-4', 0, 4],
      ['bytes=10-', 10, 35],
      ['bytes=-6', 30, 35],
      ['bytes=30-1000', 30, 35],
      ['bytes=-1000', 0, 35],
    ];
    for (const [range, start, end] of cases) {
      const res = await get(range);
      assert.equal(res.status, 206, range);
      assert.equal(res.headers['content-range'], `bytes ${start}-${end}/36`, range);
      assert.deepEqual(res.body, content.subarray(start, end + 1), range);
      assert.equal(res.headers['content-encoding'], undefined);
    }
  });

  test('several ranges give multipart/byteranges with correct boundaries', async () => {
    const res = await get('bytes=0-2, 10-12, -3');
    assert.equal(res.status, 206);
    const m = /^multipart\/byteranges; boundary=(\S+)$/.exec(res.headers['content-type']);
    assert.ok(m, res.headers['content-type']);
    assert.equal(Number(res.headers['content-length']), res.body.length);
    const text = res.body.toString('latin1');
    const parts = text.split(`--${m[1]}`);
    assert.equal(parts.at(-1), '--\r\n', 'closing delimiter');
    const bodies = parts.slice(1, -1).map((part) => {
      const [headers, body] = part.split('\r\n\r\n');
      return { headers, body: body.slice(0, -2) }; // the CRLF before the next delimiter
    });
    assert.deepEqual(bodies.map((b) => b.body), ['012', 'abc', 'xyz']);
    assert.match(bodies[0].headers, /Content-Range: bytes 0-2\/36/);
    assert.match(bodies[2].headers, /Content-Range: bytes 33-35\/36/);
    assert.match(bodies[1].headers, /Content-Type: text\/plain; charset=utf-8/);
  });

  test('unsatisfiable ranges give 416 with Content-Range: bytes */size', async () => {
    for (const range of ['bytes=36-', 'bytes=100-200', 'bytes=-0']) {
      const res = await get(range);
      assert.equal(res.status, 416, range);
      assert.equal(res.headers['content-range'], 'bytes */36');
    }
  });

  test('invalid Range syntax or another unit is ignored (200)', async () => {
    for (const range of ['bytes=5-2', 'bytes=abc', 'items=0-1', 'bytes=', 'bytes=--1', 'bytes=0-1,x']) {
      const res = await get(range);
      assert.equal(res.status, 200, range);
      assert.deepEqual(res.body, content);
    }
  });

  test('If-Range: a matching ETag or date applies the range, anything else sends it all', async () => {
    const full = await request('GET', '/files/range.txt');
    const { etag } = full.headers;
    assert.equal((await get('bytes=0-0', { 'If-Range': etag })).status, 206);
    assert.equal((await get('bytes=0-0', { 'If-Range': full.headers['last-modified'] })).status, 206);
    assert.equal((await get('bytes=0-0', { 'If-Range': '"stale"' })).status, 200);
    assert.equal((await get('bytes=0-0', { 'If-Range': `W/${etag}` })).status, 200);
    assert.equal((await get('bytes=0-0', { 'If-Range': 'Mon, 01 Jan 2024 00:00:00 GMT' })).status, 200);
  });

  test('HEAD with a Range has the headers of the GET and no body', async () => {
    const res = await request('HEAD', '/files/range.txt', { headers: { Range: 'bytes=1-3' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers['content-range'], 'bytes 1-3/36');
    assert.equal(res.headers['content-length'], '3');
  });
});

describe('compression', { timeout: 30_000 }, () => {
  const text = Buffer.from('All work and no play makes a dull server.\n'.repeat(400));
  before(async () => {
    await writeFile(path.join(dir, 'big.txt'), text);
    await writeFile(path.join(dir, 'small.txt'), 'tiny text');
    await writeFile(path.join(dir, 'photo.png'), text);
  });
  const get = (name, ae, extra = {}) => request('GET', `/files/${name}`, { headers: { 'Accept-Encoding': ae, ...extra } });

  test('gzip and br are negotiated by q-value and decode to the file', async () => {
    const gz = await get('big.txt', 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.ok(gz.body.length < text.length / 4);
    assert.deepEqual(gunzipSync(gz.body), text);
    const br = await get('big.txt', 'gzip;q=0.5, br');
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(br.body), text);
    assert.equal((await get('big.txt', 'br;q=0.2, gzip;q=0.9')).headers['content-encoding'], 'gzip');
    assert.notEqual(gz.headers.etag, (await request('GET', '/files/big.txt')).headers.etag);
  });

  test('q=0, *;q=0 and a preferred identity send the file as it is', async () => {
    for (const ae of ['gzip;q=0', '*;q=0', 'identity', 'gzip;q=0.4, identity;q=0.8', 'gzip;q=0, br;q=0', '']) {
      const res = await get('big.txt', ae);
      assert.equal(res.headers['content-encoding'], undefined, ae);
      assert.deepEqual(res.body, text, ae);
    }
    assert.equal((await get('big.txt', '*')).headers['content-encoding'] !== undefined, true);
  });

  test('HEAD announces the same coding, tag and type as the compressed GET', async () => {
    const get = await request('GET', '/files/big.txt', { headers: { 'Accept-Encoding': 'gzip' } });
    const head = await request('HEAD', '/files/big.txt', { headers: { 'Accept-Encoding': 'gzip' } });
    for (const name of ['content-encoding', 'etag', 'content-type', 'vary', 'last-modified']) {
      assert.equal(head.headers[name], get.headers[name], name);
    }
    assert.equal(head.body.length, 0);
  });

  test('zstd is offered only when this Node has it', async () => {
    const res = await get('big.txt', 'zstd');
    const zlib = await import('node:zlib');
    assert.equal(res.headers['content-encoding'], typeof zlib.createZstdCompress === 'function' ? 'zstd' : undefined);
  });

  test('tiny bodies, compressed media types and 206 responses are never compressed', async () => {
    assert.equal((await get('small.txt', 'gzip, br')).headers['content-encoding'], undefined);
    assert.equal((await get('photo.png', 'gzip, br')).headers['content-encoding'], undefined);
    const ranged = await get('big.txt', 'gzip, br', { Range: 'bytes=0-99' });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers['content-encoding'], undefined);
    assert.deepEqual(ranged.body, text.subarray(0, 100));
  });

  test('a precompressed sibling (name.br / name.gz) is served when acceptable', async () => {
    const source = Buffer.from('{"precompressed": true}\n'.repeat(100));
    await writeFile(path.join(dir, 'app.json'), source);
    const gz = gzipSync(source, { level: 9 });
    const br = brotliCompressSync(source);
    await writeFile(path.join(dir, 'app.json.gz'), gz);
    await writeFile(path.join(dir, 'app.json.br'), br);
    const asGzip = await get('app.json', 'gzip');
    assert.equal(asGzip.headers['content-encoding'], 'gzip');
    assert.equal(asGzip.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(asGzip.body, gz, 'the stored bytes, not a fresh compression');
    assert.equal(asGzip.headers['content-length'], String(gz.length));
    assert.deepEqual((await get('app.json', 'br, gzip')).body, br);
    assert.deepEqual((await get('app.json', 'identity')).body, source);
  });

  test('/echo and /user-agent keep their gzip negotiation', { skip: libraryMount && 'a CLI route' }, async () => {
    const echo = await request('GET', '/echo/abc', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(echo.headers['content-encoding'], 'gzip');
    assert.equal(gunzipSync(echo.body).toString(), 'abc');
    const ua = await request('GET', '/user-agent', { headers: { 'Accept-Encoding': 'br, gzip', 'User-Agent': 'probe/1' } });
    assert.equal(gunzipSync(ua.body).toString(), 'probe/1');
    const plain = await request('GET', '/echo/abc', { headers: { 'Accept-Encoding': 'gzip;q=0' } });
    assert.equal(plain.body.toString(), 'abc');
  });
});

describe('listing', { timeout: 30_000 }, () => {
  before(async () => {
    await mkdir(path.join(dir, 'list/sub'), { recursive: true });
    await writeFile(path.join(dir, 'list/a.txt'), 'aaaa');
    await writeFile(path.join(dir, 'list/.hidden'), 'secret');
    await writeFile(path.join(dir, 'list/<img src=x onerror=alert(1)>.txt'), 'x');
    await mkdir(path.join(dir, 'list/<script>alert(1)<'), { recursive: true });
    await writeFile(path.join(dir, 'list/<script>alert(1)</script>'), 'xss');
    await writeFile(path.join(dir, 'list/.wirehttp-upload-0123456789abcdef.tmp'), 'partial');
  });

  test('a directory without the trailing slash redirects to it (301)', async () => {
    const res = await request('GET', '/files/list');
    assert.equal(res.status, 301);
    assert.equal(res.headers.location, '/files/list/');
    const root = await request('GET', '/files');
    assert.equal(root.status, 301);
    assert.equal(root.headers.location, '/files/');
  });

  test('Accept: application/json gives the entries with name, type, size and mtime', async () => {
    const res = await request('GET', '/files/list/', { headers: { Accept: 'application/json' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    const entries = JSON.parse(res.body.toString());
    const names = entries.map((e) => e.name);
    assert.deepEqual(names.sort(), ['<img src=x onerror=alert(1)>.txt', '<script>alert(1)<', 'a.txt', 'sub'].sort());
    const a = entries.find((e) => e.name === 'a.txt');
    assert.equal(a.type, 'file');
    assert.equal(a.size, 4);
    assert.equal(a.mtime, (await stat(path.join(dir, 'list/a.txt'))).mtime.toISOString());
    assert.equal(entries.find((e) => e.name === 'sub').type, 'directory');
  });

  test('the HTML page escapes every name and never lists dot-files or temp files', async () => {
    const res = await request('GET', '/files/list/', { headers: { Accept: 'text/html' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    const html = res.body.toString();
    assert.ok(!html.includes('<img src=x'), 'raw markup from a file name');
    assert.ok(!html.includes('<script>alert'), 'raw script from a file name');
    // Names travel as JSON data inside the page, with every "<" as \u003c, and reach the DOM as text.
    const names = pageNames(html);
    assert.ok(names.includes('<img src=x onerror=alert(1)>.txt'));
    assert.ok(html.includes('\\u003cimg src=x onerror=alert(1)>.txt'));
    assert.ok(!names.includes('.hidden') && !html.includes('wirehttp-upload-'));
    assert.ok(names.includes('a.txt'));
    assert.equal((html.match(/<script/g) ?? []).length, 2, 'the page data and the page script');
    assert.equal((html.match(/<script type="application\/json" id="listing-data">/g) ?? []).length, 1, 'the data block runs nothing');
    const nonce = /script-src 'nonce-([^']+)'/.exec(res.headers['content-security-policy'])[1];
    assert.ok(html.includes(`<script nonce="${nonce}">`));
    const inner = await request('GET', `/files/list/${encodeURIComponent('<script>alert(1)<')}/`);
    assert.ok(inner.body.toString().includes('&#60;script&#62;alert(1)&#60;'), 'breadcrumb escaped');
    assert.deepEqual(pageNames(inner.body.toString()), ['script>'], 'the file inside is listed');
    assert.ok(!inner.body.toString().includes('<script>alert'), 'and never as markup');
  });

  test('dot-files and temp files answer 404 for every method', async () => {
    assert.equal((await request('GET', '/files/list/.hidden')).status, 404);
    assert.equal((await request('GET', '/files/list/.wirehttp-upload-0123456789abcdef.tmp')).status, 404);
    assert.equal((await request('PUT', '/files/list/.hidden', { body: 'overwrite' })).status, 404);
    assert.equal((await request('DELETE', '/files/list/.hidden')).status, 404);
    assert.equal(await readFile(path.join(dir, 'list/.hidden'), 'utf8'), 'secret');
  });

  test('a symlink inside the root to a dot-file is not a way around the rule', async () => {
    await symlink('.hidden', path.join(dir, 'list/visible-link'));
    assert.equal((await request('GET', '/files/list/visible-link')).status, 404);
    const listing = await request('GET', '/files/list/', { headers: { Accept: 'application/json' } });
    assert.ok(!JSON.parse(listing.body.toString()).some((e) => e.name === 'visible-link'));
  });

  test('large listings are compressed when the client accepts it', async () => {
    const res = await request('GET', '/files/list/', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.match(gunzipSync(res.body).toString(), /<table/);
  });
});

describe('hidden option', { timeout: 30_000 }, () => {
  test('with --hidden dot-files are listed and served, temp files still are not', async () => {
    const hiddenDir = await mkdtemp(path.join(tmpdir(), 'wirehttp-hidden-'));
    await writeFile(path.join(hiddenDir, '.env'), 'A=1');
    const hiddenServer = await startFileServer(['--directory', hiddenDir, '--hidden']);
    try {
      // written after the start, which removes stale temp files
      await writeFile(path.join(hiddenDir, '.wirehttp-upload-00112233aabbccdd.tmp'), 'partial');
      const base = `http://127.0.0.1:${hiddenServer.port}/files/`;
      assert.equal(await (await fetch(`${base}.env`)).text(), 'A=1');
      const listing = await (await fetch(base, { headers: { Accept: 'application/json' } })).json();
      assert.deepEqual(listing.map((e) => e.name), ['.env']);
      assert.equal((await fetch(`${base}.wirehttp-upload-00112233aabbccdd.tmp`)).status, 404);
      const put = await fetch(`${base}.config`, { method: 'PUT', body: 'x=2' });
      assert.equal(put.status, 201);
      assert.equal(await readFile(path.join(hiddenDir, '.config'), 'utf8'), 'x=2');
    } finally {
      await hiddenServer.stop();
      await rm(hiddenDir, { recursive: true, force: true });
    }
  });

  test('fetch sees a working listing and download through the CLI', async () => {
    await writeFile(path.join(dir, 'fetched.txt'), 'via fetch');
    assert.equal(await (await fetch(url('fetched.txt'))).text(), 'via fetch');
    const res = await fetch(url(''), { headers: { Accept: 'application/json' } });
    assert.ok((await res.json()).some((e) => e.name === 'fetched.txt'));
  });
});
