import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { basicAuth } from '../../dist/index.js';
import { run } from './fake-exchange.mjs';

/** What `htpasswd -nbB USER PASS` prints, taken apart: the hash, made by Apache's own tool. */
function htpasswd(user, password, cost = 5) {
  const line = execFileSync('htpasswd', ['-nbBC', String(cost), user, password], { encoding: 'utf8' }).trim();
  return line.slice(line.indexOf(':') + 1);
}

/** Made once with `htpasswd -nbB alice wonderland`, so the test also runs where Apache's tools are missing. */
const FIXED_2Y = '$2y$05$Rz/qZzJxqjbE7GFyVd8gq.g0JRNOdBxeQultLw7s6jZCSLS2EheC6';

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

test('bcrypt hashes from htpasswd verify; wrong passwords and unknown users do not', async () => {
  const hash = htpasswd('alice', 'wonderland');
  assert.match(hash, /^\$2y\$05\$/);
  const auth = basicAuth({ rules: [`alice:${hash}@/:rw`] });
  const ok = await run(auth, { method: 'PUT', path: '/a.txt', headers: { authorization: basic('alice', 'wonderland') } });
  assert.equal(ok.status, 200);
  assert.equal(auth.user(ok.req), 'alice');
  for (const [user, password] of [['alice', 'Wonderland'], ['alice', ''], ['bob', 'wonderland']]) {
    const bad = await run(auth, { path: '/a.txt', headers: { authorization: basic(user, password) } });
    assert.equal(bad.status, 401, `${user}:${password}`);
    assert.equal(bad.passed, false);
    assert.equal(bad.header('www-authenticate'), 'Basic realm="wirehttp", charset="UTF-8"');
  }
});

test('$2a$, $2b$ and $2y$ hashes all verify, also at a higher cost', async () => {
  const y = htpasswd('u', 'pass', 10);
  assert.match(y, /^\$2y\$10\$/);
  for (const hash of [y, y.replace('$2y$', '$2a$'), y.replace('$2y$', '$2b$'), FIXED_2Y]) {
    const password = hash === FIXED_2Y ? 'wonderland' : 'pass';
    const auth = basicAuth({ rules: [`u:${hash}@/`] });
    assert.equal((await run(auth, { headers: { authorization: basic('u', password) } })).status, 200, hash.slice(0, 7));
    assert.equal((await run(auth, { headers: { authorization: basic('u', `${password}x`) } })).status, 401, hash.slice(0, 7));
  }
});

test('plain passwords, UTF-8 credentials and a colon in the password', async () => {
  const auth = basicAuth({ rules: ['jürgen:pa:ss wörd@/'] });
  assert.equal((await run(auth, { headers: { authorization: basic('jürgen', 'pa:ss wörd') } })).status, 200);
  assert.equal((await run(auth, { headers: { authorization: basic('jürgen', 'pa:ss word') } })).status, 401);
  assert.equal((await run(auth, { headers: { authorization: 'Basic !!!' } })).status, 401);
  assert.equal((await run(auth, { headers: { authorization: 'Basic bm9jb2xvbg==' } })).status, 401, 'no colon');
});

test('anonymous users outside every @ rule get 401; logged-in users without the right get 403', async () => {
  const auth = basicAuth({ rules: ['@/pub:ro', 'alice:pw@/pub:rw,/home/alice:rw'] });
  const as = (user) => (user === null ? {} : { authorization: basic(user, 'pw') });
  const cases = [
    [null, 'GET', '/pub/a.txt', 200],
    [null, 'PUT', '/pub/a.txt', 401],
    [null, 'GET', '/home/alice/a.txt', 401],
    ['alice', 'PUT', '/pub/a.txt', 200],
    ['alice', 'DELETE', '/home/alice/x', 200],
    ['alice', 'GET', '/home/bob/x', 403],
    ['alice', 'PROPPATCH', '/pub/x', 200],
  ];
  for (const [user, method, path, status] of cases) {
    const result = await run(auth, { method, path, headers: as(user) });
    assert.equal(result.status, status, `${user} ${method} ${path}`);
    assert.equal(result.header('www-authenticate') !== undefined, status === 401);
  }
});

test('".." and percent-encoding cannot climb out of a rule path', async () => {
  const auth = basicAuth({ rules: ['@/pub:rw', '@/:ro'] });
  const refusedWrites = [
    '/pub/../secret.txt',
    '/pub/%2e%2e/secret.txt',
    '/pub/%2E%2E%2fsecret.txt',
    '/pub/..%2Fsecret.txt',
    '/pub%2f..%2fsecret.txt',
    '/pub/.%2e/secret.txt',
    '/pub/..%5csecret.txt',
    '/pub/%00',
  ];
  for (const path of refusedWrites) {
    const result = await run(auth, { method: 'PUT', path });
    assert.equal(result.passed, false, path);
    assert.equal(result.status, 403, path);
  }
  assert.equal((await run(auth, { method: 'PUT', path: '/pub/%41.txt' })).status, 200);
  assert.equal((await run(auth, { method: 'PUT', path: '/pub%2Fnew.txt' })).status, 200, 'an encoded "/" separates like "/"');
  assert.equal((await run(auth, { method: 'PUT', path: '/pub/%zz' })).status, 400);
  // Empty segments are no way around a deeper rule.
  const deeper = basicAuth({ rules: ['@/:rw,/archive:ro'] });
  assert.equal((await run(deeper, { method: 'PUT', path: '//archive/x' })).status, 403);
  assert.equal((await run(deeper, { method: 'PUT', path: '/%2Farchive/x' })).status, 403);
});

test('without logins a read-only server answers 403, not 401, and ignores Authorization', async () => {
  const auth = basicAuth({ rules: ['@/:ro'] });
  const write = await run(auth, { method: 'POST', path: '/x', headers: { authorization: basic('a', 'b') } });
  assert.equal(write.status, 403);
  assert.equal(write.header('www-authenticate'), undefined);
  assert.equal((await run(auth, { path: '/x', headers: { authorization: basic('a', 'b') } })).status, 200);
});

test('paths: "handler" only logs in; check() and refuse() are left to the handler', async () => {
  const auth = basicAuth({ rules: ['@/pub/docs:ro', 'bob:pw@/:rw'], paths: 'handler' });
  const anonymous = await run(auth, { method: 'DELETE', path: '/anything' });
  assert.equal(anonymous.passed, true);
  assert.equal(auth.user(anonymous.req), null);
  assert.equal(auth.check(null, 'pub', 'list'), 'allow');
  assert.equal(auth.check(null, 'pub', 'read'), 'login');
  assert.equal(auth.check(null, 'pub/docs/a.txt', 'read'), 'allow');
  assert.equal(auth.check(null, 'pub/docs/a.txt', 'write'), 'login');
  assert.equal(auth.check(null, 'pub/docs/../../x', 'read'), 'login');
  assert.equal(auth.check('bob', 'x', 'write'), 'allow');
  const refused = await run(auth, { path: '/x' }, (_req, res) => auth.refuse(res, auth.check(null, 'x', 'read')));
  assert.equal(refused.status, 401);
  const wrong = await run(auth, { path: '/x', headers: { authorization: basic('bob', 'nope') } });
  assert.equal(wrong.status, 401, 'wrong credentials are refused by the middleware itself');
});

test('after 10 failed logins in a minute the address gets 429 with Retry-After; others are not affected', async () => {
  let now = 1_000_000;
  const hash = htpasswd('alice', 'right');
  const auth = basicAuth({ rules: [`alice:${hash}@/`], throttle: { now: () => now } });
  const attempt = (password, remoteAddress = '192.0.2.1') => run(auth, { remoteAddress, headers: { authorization: basic('alice', password) } });
  for (let i = 0; i < 10; i++) {
    assert.equal((await attempt(`guess${i}`)).status, 401, `failure ${i + 1}`);
    now += 1000;
  }
  const blocked = await attempt('right');
  assert.equal(blocked.status, 429, 'even the right password waits: guessing must not learn anything');
  assert.equal(blocked.header('retry-after'), '50');
  assert.equal(blocked.passed, false);
  assert.equal((await attempt('right', '192.0.2.2')).status, 200, 'another address logs in');
  assert.equal((await run(auth, { remoteAddress: '192.0.2.1' })).status, 401, 'no credentials: no throttle, just the challenge');
  now += 50_000;
  assert.equal((await attempt('right')).status, 200, 'after the minute the right password works at once');
});

test('successful logins are not slowed and do not count as failures', async () => {
  const hash = htpasswd('alice', 'right', 10);
  const auth = basicAuth({ rules: [`alice:${hash}@/`] });
  const header = { authorization: basic('alice', 'right') };
  assert.equal((await run(auth, { headers: header })).status, 200);
  const started = performance.now();
  for (let i = 0; i < 50; i++) assert.equal((await run(auth, { headers: header })).status, 200);
  const perLogin = (performance.now() - started) / 50;
  assert.ok(perLogin < 5, `a repeated login took ${perLogin.toFixed(2)} ms; bcrypt at cost 10 alone takes tens of ms`);
});

test('the throttle window slides: old failures stop counting once a minute old', async () => {
  let now = 0;
  const auth = basicAuth({ rules: ['alice:right@/'], throttle: { now: () => now } });
  const attempt = (password) => run(auth, { headers: { authorization: basic('alice', password) } });
  for (let i = 0; i < 9; i++) await attempt('wrong');
  now = 30_000;
  await attempt('wrong'); // the tenth, 30 s after the first nine
  assert.equal((await attempt('right')).status, 429);
  now = 59_999;
  assert.equal((await attempt('right')).header('retry-after'), '1');
  now = 60_000;
  assert.equal((await attempt('wrong')).status, 401, 'the first nine expired: this is failure 2 of the window');
  assert.equal((await attempt('right')).status, 200);
});

test('check(): write-tree refuses a folder with a deeper read-only rule, write allows its name', () => {
  const auth = basicAuth({ rules: ['@/:rw,/shared/archive:ro'], paths: 'handler' });
  assert.equal(auth.check(null, 'shared', 'write'), 'allow');
  assert.equal(auth.check(null, 'shared', 'write-tree'), 'deny');
  assert.equal(auth.check(null, 'shared/new.txt', 'write-tree'), 'allow');
  assert.equal(auth.check(null, 'shared/archive/x', 'write'), 'deny');
});
