// WebDAV on /files/ end to end against the real CLI: what PROPFIND shows and hides, the
// request shapes of Windows and macOS clients, COPY/MOVE containment, durable properties.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { startCli } from '../../../helpers.mjs';
import { dav, PROPFIND_ALL, readMultistatus } from './dav-client.mjs';

const run = promisify(execFile);
let dir;
let outside;
let server;
const req = (...args) => dav(server.port, ...args);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-dav-http-'));
  outside = await mkdtemp(path.join(tmpdir(), 'wirehttp-dav-outside-'));
  server = await startCli(['--directory', dir]);
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('PROPFIND', () => {
  test('OPTIONS announces class 1 and 2', async () => {
    const res = await req('OPTIONS', '/files/');
    assert.equal(res.status, 204);
    assert.equal(res.headers.dav, '1, 2');
    assert.match(res.headers.allow, /PROPFIND.*PROPPATCH.*MKCOL.*COPY.*MOVE.*LOCK.*UNLOCK/);
  });

  test('a file: live properties agree with what GET sends (ETag, type, length, date)', async () => {
    await writeFile(path.join(dir, 'page.html'), '<p>hi</p>');
    const get = await req('GET', '/files/page.html');
    const res = await req('PROPFIND', '/files/page.html', { headers: { Depth: '0' }, body: PROPFIND_ALL });
    assert.equal(res.status, 207);
    assert.match(res.headers['content-type'], /^application\/xml/);
    const props = (await readMultistatus(res.body))['/files/page.html'];
    assert.equal(props['{DAV:}getetag'].text, get.headers.etag);
    assert.equal(props['{DAV:}getcontenttype'].text, get.headers['content-type']);
    assert.equal(props['{DAV:}getcontentlength'].text, '9');
    assert.equal(props['{DAV:}getlastmodified'].text, get.headers['last-modified']);
    assert.equal(props['{DAV:}displayname'].text, 'page.html');
    assert.equal(props['{DAV:}resourcetype'].element.children.length, 0);
    const entries = props['{DAV:}supportedlock'].element.children.map((entry) => entry.children[0].children[0].name);
    assert.deepEqual(entries, ['exclusive', 'shared']);
    assert.ok(!Number.isNaN(Date.parse(props['{DAV:}creationdate'].text)));
  });

  test('Depth 1 lists members with encoded hrefs, and never hidden names, temporary files, metadata or escaping links', async () => {
    await mkdir(path.join(dir, 'list/sub dir'), { recursive: true });
    await writeFile(path.join(dir, 'list/caf\u00e9 #1.txt'), 'x');
    await writeFile(path.join(dir, 'list/.secret'), 'x');
    await writeFile(path.join(dir, 'list/.wirehttp-upload-0123456789abcdef.tmp'), 'x');
    await writeFile(path.join(outside, 'target.txt'), 'outside');
    await symlink(path.join(outside, 'target.txt'), path.join(dir, 'list/escape.txt'));
    await symlink(path.join(dir, 'page.html'), path.join(dir, 'list/inside.html'));
    const res = await req('PROPFIND', '/files/list/', { headers: { Depth: '1' } });
    assert.equal(res.status, 207);
    const hrefs = Object.keys(await readMultistatus(res.body)).sort();
    assert.deepEqual(hrefs, ['/files/list/', '/files/list/caf%C3%A9%20%231.txt', '/files/list/inside.html', '/files/list/sub%20dir/']);
    const root = await readMultistatus((await req('PROPFIND', '/files/', { headers: { Depth: '1' } })).body);
    assert.ok(!Object.keys(root).some((href) => href.includes('wirehttp')), 'the metadata area is not listed');
  });

  test('Depth infinity (or none) is refused with propfind-finite-depth; a missing resource is 404', async () => {
    for (const headers of [{ Depth: 'infinity' }, {}]) {
      const res = await req('PROPFIND', '/files/', { headers });
      assert.equal(res.status, 403);
      assert.match(res.body.toString(), /<D:propfind-finite-depth\/>/);
    }
    assert.equal((await req('PROPFIND', '/files/nothing-here', { headers: { Depth: '0' } })).status, 404);
  });

  test('named properties: unknown ones come back in a 404 propstat, in their own namespace; propname lists names', async () => {
    const body =
      '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getcontentlength/><x:color xmlns:x="urn:paint"/><nons xmlns=""/></prop></propfind>';
    const res = await req('PROPFIND', '/files/page.html', { headers: { Depth: '0' }, body });
    const props = (await readMultistatus(res.body))['/files/page.html'];
    assert.equal(props['{DAV:}getcontentlength'].status, 200);
    assert.equal(props['{urn:paint}color'].status, 404);
    assert.equal(props['{}nons'].status, 404);
    const names = await req('PROPFIND', '/files/page.html', { headers: { Depth: '0' }, body: '<propfind xmlns="DAV:"><propname/></propfind>' });
    const listed = (await readMultistatus(names.body))['/files/page.html'];
    assert.equal(listed['{DAV:}getetag'].text, '');
  });
});

describe('client request shapes', () => {
  // Bodies as Microsoft-WebDAV-MiniRedir (Windows Explorer) sends them, from its protocol
  // documentation ([MS-WDV]) and public traces.
  test('Windows Explorer: PROPFIND of its own properties, PROPPATCH of Win32 times, LOCK, PUT with the token, UNLOCK', async () => {
    const windowsPropfind =
      '<?xml version="1.0" encoding="utf-8" ?><D:propfind xmlns:D="DAV:"><D:prop><D:displayname/><D:getcontentlength/><D:getcontenttype/><D:resourcetype/><D:getlastmodified/><D:creationdate/><D:isFolder/><D:iscollection/><D:ishidden/><D:getetag/><D:lockdiscovery/></D:prop></D:propfind>';
    const found = await req('PROPFIND', '/files/', {
      headers: { Depth: '1', 'User-Agent': 'Microsoft-WebDAV-MiniRedir/10.0.19045', Translate: 'f' },
      body: windowsPropfind,
    });
    assert.equal(found.status, 207);
    const page = (await readMultistatus(found.body))['/files/page.html'];
    assert.equal(page['{DAV:}isFolder'].status, 404);
    assert.equal(page['{DAV:}getcontentlength'].status, 200);

    const lock = await req('LOCK', '/files/win.docx', {
      headers: { Timeout: 'Second-3600', 'User-Agent': 'Microsoft-WebDAV-MiniRedir/10.0.19045' },
      body: '<?xml version="1.0" encoding="utf-8" ?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>DESKTOP\\user</D:href></D:owner></D:lockinfo>',
    });
    assert.equal(lock.status, 201, 'locking an unmapped name creates the file');
    const token = lock.headers['lock-token'];
    assert.match(token, /^<urn:uuid:[0-9a-f-]{36}>$/);
    assert.match(lock.body.toString(), /<D:owner><href xmlns="DAV:">DESKTOP\\user<\/href><\/D:owner>/);
    assert.match(lock.body.toString(), /<D:timeout>Second-3600<\/D:timeout>/);

    const patch = await req('PROPPATCH', '/files/win.docx', {
      headers: { If: `(${token})` },
      body: '<?xml version="1.0" encoding="utf-8" ?><D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:schemas-microsoft-com:"><D:set><D:prop><Z:Win32CreationTime>Tue, 01 Dec 2026 04:00:00 GMT</Z:Win32CreationTime><Z:Win32LastAccessTime>Tue, 01 Dec 2026 04:00:00 GMT</Z:Win32LastAccessTime><Z:Win32LastModifiedTime>Tue, 01 Dec 2026 04:00:00 GMT</Z:Win32LastModifiedTime><Z:Win32FileAttributes>00000020</Z:Win32FileAttributes></D:prop></D:set></D:propertyupdate>',
    });
    assert.equal(patch.status, 207);
    const patched = (await readMultistatus(patch.body))['/files/win.docx'];
    assert.equal(patched['{urn:schemas-microsoft-com:}Win32FileAttributes'].status, 200);

    assert.equal((await req('PUT', '/files/win.docx', { body: 'no token' })).status, 423);
    // davfs2 and others tag their lists with the absolute URI; a proxy in front may change the host.
    const tagged = (host) => `<http://${host}/files/win.docx> (${token})`;
    assert.equal((await req('PUT', '/files/win.docx', { headers: { If: tagged('proxy.example:8080') }, body: 'tagged' })).status, 204);
    assert.equal((await req('PUT', '/files/win.docx', { headers: { If: `<http://h/files/other.txt> (${token})` }, body: 'x' })).status, 412);
    assert.equal((await req('PUT', '/files/win.docx', { headers: { If: `(${token})` }, body: 'document' })).status, 204);
    assert.equal((await req('UNLOCK', '/files/win.docx', { headers: { 'Lock-Token': token } })).status, 204);
    assert.equal(await readFile(path.join(dir, 'win.docx'), 'utf8'), 'document');
  });

  // Bodies as macOS Finder (WebDAVFS) sends them, from public traces.
  test('macOS Finder: PROPFIND with Apple properties, LOCK for 600 s, refresh by If, UNLOCK', async () => {
    const finder = await req('PROPFIND', '/files/', {
      headers: { Depth: '1', 'User-Agent': 'WebDAVFS/3.0.0 (03008000) Darwin/22.1.0' },
      body: '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop xmlns:A="http://www.apple.com/webdav_fs/props/"><D:getlastmodified/><D:getcontentlength/><D:creationdate/><D:resourcetype/><A:appledoubleheader/></D:prop></D:propfind>',
    });
    assert.equal(finder.status, 207);
    const page = (await readMultistatus(finder.body))['/files/page.html'];
    assert.equal(page['{http://www.apple.com/webdav_fs/props/}appledoubleheader'].status, 404);
    const lock = await req('LOCK', '/files/page.html', {
      headers: { Timeout: 'Second-600', Depth: '0' },
      body: '<?xml version="1.0" encoding="utf-8"?><D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype><D:owner><D:href>http://www.apple.com/webdav_fs/</D:href></D:owner></D:lockinfo>',
    });
    assert.equal(lock.status, 200);
    const token = lock.headers['lock-token'];
    const refresh = await req('LOCK', '/files/page.html', { headers: { Timeout: 'Second-600', If: `(${token})` } });
    assert.equal(refresh.status, 200);
    assert.match(refresh.body.toString(), /<D:timeout>Second-600<\/D:timeout>/);
    assert.equal((await req('LOCK', '/files/page.html', { headers: { If: '(<urn:uuid:00000000-0000-0000-0000-000000000000>)' } })).status, 412);
    assert.equal((await req('UNLOCK', '/files/page.html', { headers: { 'Lock-Token': token } })).status, 204);
  });
});

describe('COPY, MOVE, MKCOL and properties', () => {
  test('MKCOL: 201, 405 when it exists, 409 without a parent, 415 with a body', async () => {
    assert.equal((await req('MKCOL', '/files/made')).status, 201);
    assert.equal((await req('MKCOL', '/files/made')).status, 405);
    assert.equal((await req('MKCOL', '/files/no/parent')).status, 409);
    assert.equal((await req('MKCOL', '/files/with-body', { body: '<x/>' })).status, 415);
    assert.equal((await req('MKCOL', `/files/${'d/'.repeat(70)}`)).status, 414, 'deeper than --max-path-depth');
    assert.equal((await req('COPY', '/files/made', { headers: { Destination: `/files/${'e/'.repeat(70)}x` } })).status, 414);
    const lockinfo = '<D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>';
    assert.equal((await req('LOCK', '/files/no-such-folder/', { body: lockinfo })).status, 409, 'an unmapped folder name is not locked into a file');
    assert.ok((await stat(path.join(dir, 'made'))).isDirectory());
  });

  test('COPY and MOVE: 201 then 204, Overwrite F 412, another host 502, hidden or metadata destinations 404', async () => {
    await writeFile(path.join(dir, 'c1.txt'), 'one');
    const copy = (to, headers = {}) => req('COPY', '/files/c1.txt', { headers: { Destination: to, ...headers } });
    assert.equal((await copy('/files/c2.txt')).status, 201);
    assert.equal((await copy(`http://127.0.0.1:${server.port}/files/c2.txt`)).status, 204);
    assert.equal((await copy('/files/c2.txt', { Overwrite: 'F' })).status, 412);
    assert.equal((await copy('http://example.com/files/c3.txt')).status, 502);
    assert.equal((await copy('/files/.hidden.txt')).status, 404);
    assert.equal((await copy('/files/.wirehttp/props.json')).status, 404);
    assert.equal((await copy('/files/c1.txt')).status, 403, 'onto itself');
    assert.equal((await req('MOVE', '/files/c2.txt', { headers: { Destination: '/files/made/c2.txt' } })).status, 201);
    assert.equal(await readFile(path.join(dir, 'made/c2.txt'), 'utf8'), 'one');
  });

  test('COPY of a folder goes member by member: what cannot be copied is listed in a 207, the rest arrives', async () => {
    await mkdir(path.join(dir, 'mixed/sub'), { recursive: true });
    await writeFile(path.join(dir, 'mixed/sub/ok.txt'), 'ok');
    await writeFile(path.join(dir, 'mixed/.dot'), 'hidden');
    await run('mkfifo', [path.join(dir, 'mixed/pipe')]);
    const res = await req('COPY', '/files/mixed/', { headers: { Destination: '/files/mixed-copy/' } });
    assert.equal(res.status, 207);
    assert.deepEqual(await readMultistatus(res.body), { '/files/mixed-copy/pipe': { status: 403 } });
    assert.equal(await readFile(path.join(dir, 'mixed-copy/sub/ok.txt'), 'utf8'), 'ok');
    await assert.rejects(stat(path.join(dir, 'mixed-copy/.dot')), { code: 'ENOENT' }, 'what the client cannot see is not copied');
    assert.equal((await req('DELETE', '/files/mixed/')).status, 204);
  });

  test('symlink containment: neither end of a COPY or MOVE can be outside the served folder', async () => {
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    await symlink(outside, path.join(dir, 'out-link'));
    await symlink(path.join(outside, 'secret.txt'), path.join(dir, 'secret-link.txt'));
    assert.equal((await req('COPY', '/files/secret-link.txt', { headers: { Destination: '/files/leak.txt' } })).status, 404);
    assert.equal((await req('COPY', '/files/out-link/secret.txt', { headers: { Destination: '/files/leak.txt' } })).status, 404);
    assert.equal((await req('COPY', '/files/c1.txt', { headers: { Destination: '/files/out-link/planted.txt' } })).status, 404);
    assert.equal((await req('MOVE', '/files/c1.txt', { headers: { Destination: '/files/out-link/planted.txt' } })).status, 404);
    await assert.rejects(stat(path.join(outside, 'planted.txt')), { code: 'ENOENT' });
    await assert.rejects(stat(path.join(dir, 'leak.txt')), { code: 'ENOENT' });
  });

  test('dead properties: all or nothing, travel with MOVE and COPY, go with DELETE, survive a restart', async () => {
    await mkdir(path.join(dir, 'tree/inner'), { recursive: true });
    await writeFile(path.join(dir, 'tree/inner/f.txt'), 'f');
    const set = (target, xml) =>
      req('PROPPATCH', target, { body: `<D:propertyupdate xmlns:D="DAV:" xmlns:Z="urn:z"><D:set><D:prop>${xml}</D:prop></D:set></D:propertyupdate>` });
    const refused = await set('/files/tree/inner/f.txt', '<Z:color>red</Z:color><D:getetag>"forged"</D:getetag>');
    const statuses = (await readMultistatus(refused.body))['/files/tree/inner/f.txt'];
    assert.equal(statuses['{urn:z}color'].status, 424);
    assert.equal(statuses['{DAV:}getetag'].status, 403);
    assert.equal((await set('/files/tree/inner/f.txt', '<Z:color xml:lang="en">r&amp;d <Z:b>bold</Z:b></Z:color>')).status, 207);
    const colorOf = async (target) => {
      const res = await req('PROPFIND', target, { headers: { Depth: '0' }, body: '<propfind xmlns="DAV:"><prop><color xmlns="urn:z"/></prop></propfind>' });
      return res.status === 207 ? (await readMultistatus(res.body))[target]['{urn:z}color'] : res.status;
    };
    assert.equal((await colorOf('/files/tree/inner/f.txt')).text, 'r&d bold');
    assert.equal((await req('MOVE', '/files/tree/', { headers: { Destination: '/files/moved/' } })).status, 201);
    assert.equal((await colorOf('/files/moved/inner/f.txt')).text, 'r&d bold');
    assert.equal((await req('COPY', '/files/moved/', { headers: { Destination: '/files/copied/' } })).status, 201);
    assert.equal((await colorOf('/files/copied/inner/f.txt')).text, 'r&d bold');

    await server.stop();
    server = await startCli(['--directory', dir]);
    assert.equal((await colorOf('/files/copied/inner/f.txt')).status, 200, 'after a restart');
    assert.equal((await req('DELETE', '/files/copied/')).status, 204);
    await mkdir(path.join(dir, 'copied/inner'), { recursive: true });
    await writeFile(path.join(dir, 'copied/inner/f.txt'), 'new file, same name');
    assert.equal((await colorOf('/files/copied/inner/f.txt')).status, 404, 'deleted with its resource');
  });

  test('--hidden still never lists, serves or writes the metadata area', async () => {
    const hidden = await startCli(['--directory', dir, '--hidden']);
    try {
      const h = (...args) => dav(hidden.port, ...args);
      assert.equal((await h('GET', '/files/.wirehttp/props.json')).status, 404);
      assert.equal((await h('PROPFIND', '/files/.wirehttp/', { headers: { Depth: '0' } })).status, 404);
      assert.equal((await h('PUT', '/files/.wirehttp/locks.json', { body: '{}' })).status, 404);
      assert.equal((await h('DELETE', '/files/.wirehttp/')).status, 404);
      const listing = await readMultistatus((await h('PROPFIND', '/files/', { headers: { Depth: '1' } })).body);
      assert.ok(!Object.keys(listing).some((href) => href.includes('.wirehttp')));
    } finally {
      await hidden.stop();
    }
  });
});

describe('the mount point', () => {
  test('OPTIONS and PROPFIND on /files without the final "/" answer for the served folder', async () => {
    const options = await req('OPTIONS', '/files');
    assert.equal(options.status, 204);
    assert.equal(options.headers.dav, '1, 2');
    const found = await req('PROPFIND', '/files', { headers: { Depth: '0' } });
    assert.equal(found.status, 207);
    assert.deepEqual(Object.keys(await readMultistatus(found.body)), ['/files/']);
    assert.equal((await req('MKCOL', '/files')).status, 405);
  });
});
