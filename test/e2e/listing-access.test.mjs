// Listings and searches under access rules: only what the requester may open, and a page that
// shows who is logged in and offers changes only where they are allowed.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCli } from '../helpers.mjs';
import { basic, call, htpasswd } from './access-helpers.mjs';

describe('listings show only what the requester may open', () => {
  let server;
  before(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-listing-access-'));
    for (const folder of ['pub', 'pub/docs', 'pub/internal', 'drop', 'home', 'home/alice', 'home/bob']) await mkdir(path.join(dir, folder));
    for (const file of ['top.txt', 'pub/docs/a.txt', 'pub/internal/plan.txt', 'pub/readme.txt', 'home/alice/diary.txt', 'home/bob/diary.txt']) {
      await writeFile(path.join(dir, file), file);
    }
    server = await startCli([
      '--directory', dir,
      '--auth', '@/pub/docs:ro,/drop:rw',
      '--auth', `alice:${htpasswd('alice', 'pw')}@/home/alice:rw,/pub:ro`,
    ]);
  });
  after(() => server.stop());

  const alice = { Authorization: basic('alice', 'pw') };
  const json = async (target, headers = {}) => {
    const res = await call(server.port, 'GET', target, { Accept: 'application/json', ...headers });
    assert.equal(res.status, 200, `${target}: ${res.body}`);
    return JSON.parse(res.body.toString());
  };
  const names = async (target, headers) => {
    const listing = await json(target, headers);
    return (Array.isArray(listing) ? listing : listing.entries).map((entry) => entry.name);
  };

  test('anonymous: folders that lead somewhere readable, and nothing else', async () => {
    assert.deepEqual(await names('/files/'), ['drop', 'pub']);
    assert.deepEqual(await names('/files/pub/'), ['docs']);
    assert.deepEqual(await names('/files/pub/docs/'), ['a.txt']);
    assert.equal((await call(server.port, 'GET', '/files/pub/readme.txt')).status, 401, 'an index-only folder lists, its files stay closed');
    assert.equal((await call(server.port, 'GET', '/files/home/')).status, 401);
    const html = (await call(server.port, 'GET', '/files/pub/')).body.toString();
    assert.match(html, /docs/);
    assert.doesNotMatch(html, /readme\.txt|internal/);
  });

  test('logged in: their own paths join the anonymous ones', async () => {
    assert.deepEqual(await names('/files/', alice), ['drop', 'home', 'pub']);
    assert.deepEqual(await names('/files/home/', alice), ['alice']);
    assert.deepEqual(await names('/files/pub/', alice), ['docs', 'internal', 'readme.txt']);
    assert.equal((await call(server.port, 'GET', '/files/home/bob/', alice)).status, 403);
  });

  test('PROPFIND Depth 1 shows only the members the requester may open', async () => {
    const hrefs = async (target, headers = {}) => {
      const res = await call(server.port, 'PROPFIND', target, { Depth: '1', ...headers });
      assert.equal(res.status, 207, `${target}: ${res.body}`);
      return [...res.body.toString().matchAll(/<D:href>([^<]*)<\/D:href>/gi)].map((match) => match[1]);
    };
    assert.deepEqual(await hrefs('/files/'), ['/files/', '/files/drop/', '/files/pub/']);
    assert.deepEqual((await hrefs('/files')).slice(1), ['/files/drop/', '/files/pub/'], 'the mount point without "/" too');
    assert.deepEqual(await hrefs('/files/pub/'), ['/files/pub/', '/files/pub/docs/']);
    assert.deepEqual(await hrefs('/files/pub/', alice), ['/files/pub/', '/files/pub/docs/', '/files/pub/internal/', '/files/pub/readme.txt']);
    assert.equal((await call(server.port, 'PROPFIND', '/files/pub/readme.txt', { Depth: '0' })).status, 401);
    assert.equal((await call(server.port, 'PROPFIND', '/files/home/', { Depth: '1' })).status, 401);
  });

  const pageOf = async (target, headers = {}) => {
    const res = await call(server.port, 'GET', target, headers);
    assert.equal(res.status, 200, `${target}: ${res.body}`);
    const html = res.body.toString();
    const data = JSON.parse(/<script type="application\/json" id="listing-data">(.*?)<\/script>/s.exec(html)[1]);
    const changeable = Object.fromEntries(data.entries.map((row) => [row[0], row[4] === 1]));
    return { html, can: data.can, changeable };
  };

  test('the page shows who is logged in and offers writing only where allowed', async () => {
    const root = await pageOf('/files/');
    assert.match(root.html, /href="\?login">Log in</);
    assert.doesNotMatch(root.html, /Logged in as/);
    assert.deepEqual(root.can, { write: false, move: true });
    assert.deepEqual(root.changeable, { drop: true, pub: false }, '@/drop:rw covers the folder itself');
    assert.doesNotMatch(root.html, /Drag files|Drop files/, 'a read-only folder does not invite dropping files');
    const drop = await pageOf('/files/drop/');
    assert.deepEqual(drop.can, { write: true, move: true });
    assert.match(drop.html, /Drag files or folders onto this page to upload them/);
    const home = await pageOf('/files/home/alice/', alice);
    assert.match(home.html, /Logged in as <strong>alice<\/strong>/);
    assert.doesNotMatch(home.html, /Log in</);
    assert.deepEqual(home.can, { write: true, move: true });
    assert.deepEqual(home.changeable, { 'diary.txt': true });
    const pub = await pageOf('/files/pub/', alice);
    assert.deepEqual(pub.can, { write: false, move: true }, 'alice only reads /pub');
    assert.deepEqual(pub.changeable, { docs: false, internal: false, 'readme.txt': false });
  });

  test('?login asks anonymous requesters to log in, and is ignored once they have', async () => {
    const anonymous = await call(server.port, 'GET', '/files/pub/docs/?login');
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers['www-authenticate'], /^Basic realm="wirehttp"/);
    assert.equal((await call(server.port, 'GET', '/files/pub/docs/?login', alice)).status, 200);
  });

  test('the page offers "Log out" to a logged-in user; ?logout answers 401 without a Basic challenge', async () => {
    const home = await pageOf('/files/home/alice/', alice);
    assert.match(home.html, /<button type="button" class="button" id="logout">Log out<\/button>/);
    assert.doesNotMatch((await pageOf('/files/pub/')).html, /id="logout"/);
    const out = await call(server.port, 'GET', '/files/home/alice/?logout', alice);
    assert.equal(out.status, 401);
    assert.equal(out.headers['www-authenticate'], 'Logout', 'a scheme browsers offer no prompt for');
    assert.equal(out.headers['cache-control'], 'no-store');
    assert.equal((await call(server.port, 'GET', '/files/home/alice/', alice)).status, 200, 'the credentials still work: the browser forgets them');
  });

  test('a search finds only names the requester may open', async () => {
    const found = async (headers) => (await json('/files/?q=diary', headers)).results.map((hit) => hit.path);
    assert.deepEqual(await found(), []);
    assert.deepEqual(await found(alice), ['home/alice/diary.txt']);
    const html = (await call(server.port, 'GET', '/files/?q=txt')).body.toString();
    assert.match(html, /pub\/docs\/a\.txt/);
    assert.doesNotMatch(html, /top\.txt|readme|plan|diary/);
  });
});

test('a folder with a read-only path below it is not offered for rename or delete', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-tree-'));
  await mkdir(path.join(dir, 'shared', 'archive'), { recursive: true });
  await mkdir(path.join(dir, 'shared', 'empty'));
  const server = await startCli(['--directory', dir, '--auth', '@/:rw,/shared/archive:ro']);
  try {
    const html = (await call(server.port, 'GET', '/files/')).body.toString();
    const data = JSON.parse(/id="listing-data">(.*?)<\/script>/s.exec(html)[1]);
    assert.deepEqual(data.entries.map((row) => [row[0], row[4]]), [['shared', 0]]);
    assert.deepEqual(data.can, { write: true, move: true });
    assert.doesNotMatch(html, /Log in|Logged in|Log out/, 'no logins: nobody to log in as');
    assert.equal((await call(server.port, 'GET', '/files/?logout')).status, 200, 'no logins: ?logout is no request of its own');
    const shared = JSON.parse(/id="listing-data">(.*?)<\/script>/s.exec((await call(server.port, 'GET', '/files/shared/')).body.toString())[1]);
    assert.deepEqual(shared.entries.map((row) => [row[0], row[4]]), [['archive', 0], ['empty', 1]]);
  } finally {
    await server.stop();
  }
});

test('a search does not walk folders the requester may not open: their names cannot use up its limits', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-search-access-'));
  // Breadth first, the closed folder's 1,200 matches (depth 2) come before the open one's (depth 3)
  // whatever order the disk gives: walked, they would use up the 1,000 results a search may find.
  await mkdir(path.join(dir, 'closed'));
  await mkdir(path.join(dir, 'pub', 'sub'), { recursive: true });
  await Promise.all(Array.from({ length: 1200 }, (_, i) => writeFile(path.join(dir, 'closed', `match-${i}.txt`), '')));
  await writeFile(path.join(dir, 'pub', 'sub', 'match.txt'), 'found');
  const server = await startCli(['--directory', dir, '--auth', '@/pub:ro']);
  try {
    const res = await call(server.port, 'GET', '/files/?q=match', { Accept: 'application/json' });
    assert.equal(res.status, 200, res.body.toString());
    assert.deepEqual(JSON.parse(res.body.toString()), { query: 'match', results: [{ path: 'pub/sub/match.txt', type: 'file' }], end: 'complete' });
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
