import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cors, hostGuard, isLoopbackHost, originGuard } from '../../dist/index.js';
import { run } from './fake-exchange.mjs';

test('loopback host names', () => {
  for (const name of ['localhost', 'LOCALHOST', 'localhost.', 'app.localhost', '127.0.0.1', '127.8.9.10', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1']) {
    assert.equal(isLoopbackHost(name), true, name);
  }
  for (const name of ['evil.example', 'localhost.evil.example', 'mylocalhost', '128.0.0.1', '0.0.0.0', '::', '::2', '10.0.0.1', '']) {
    assert.equal(isLoopbackHost(name), false, name);
  }
});

test('the default host guard accepts only loopback names, on any port', async () => {
  const guard = hostGuard();
  for (const host of ['localhost:4221', 'localhost', 'foo.localhost:80', '127.0.0.1:4221', '[::1]:4221', '[::1]']) {
    assert.equal((await run(guard, { headers: { host } })).status, 200, host);
  }
  for (const host of ['attacker.example:4221', 'attacker.example', '192.168.1.2:4221', '', 'localhost.attacker.example']) {
    const result = await run(guard, { headers: { host } });
    assert.equal(result.status, 421, host);
    assert.equal(result.passed, false);
  }
  assert.equal((await run(guard, { headers: {} })).status, 200, 'HTTP/1.0 without Host');
});

test('an allowed-hosts list replaces the rule; *.example.com matches names below it', async () => {
  const guard = hostGuard({ allow: ['files.example.org', '*.example.com', '192.168.1.2', '[2001:db8::1]'] });
  for (const host of ['files.example.org', 'FILES.example.org:8080', 'a.example.com', 'a.b.example.com:443', '192.168.1.2:4221', '[2001:db8:0::1]:80']) {
    assert.equal((await run(guard, { headers: { host } })).status, 200, host);
  }
  for (const host of ['example.com', 'evil-example.com', 'example.org', 'localhost:4221', '127.0.0.1', 'other.example.org']) {
    assert.equal((await run(guard, { headers: { host } })).status, 421, host);
  }
  assert.throws(() => hostGuard({ allow: ['a.*.com'] }), /"\*" may only start/);
  assert.throws(() => hostGuard({ allow: ['http://x'] }), /not a host name/);
});

const own = { host: 'localhost:4221' };

test('origin guard: cross-site and same-site unsafe requests are refused', async () => {
  const guard = originGuard();
  const refused = [
    { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
    { 'sec-fetch-site': 'same-site' },
    { 'sec-fetch-site': 'cross-site' },
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { origin: 'http://localhost:4222' },
    { origin: 'http://127.0.0.1:4221' },
    { origin: 'not a url' },
  ];
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'MKCOL', 'MOVE']) {
    for (const headers of refused) {
      const result = await run(guard, { method, headers: { ...own, ...headers } });
      assert.equal(result.status, 403, `${method} ${JSON.stringify(headers)}`);
      assert.equal(result.passed, false);
    }
  }
});

test('origin guard: same-origin requests, safe methods and requests without the headers pass', async () => {
  const guard = originGuard({ scheme: 'http' });
  const passes = [
    ['POST', { ...own }],
    ['POST', { ...own, origin: 'http://localhost:4221', 'sec-fetch-site': 'same-origin' }],
    ['DELETE', { ...own, origin: 'http://LOCALHOST:4221' }],
    ['PUT', { ...own, 'sec-fetch-site': 'none' }],
    ['POST', { host: 'files.example:80', origin: 'http://files.example' }],
    ['GET', { ...own, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['HEAD', { ...own, 'sec-fetch-site': 'cross-site' }],
    ['OPTIONS', { ...own, origin: 'https://evil.example' }],
  ];
  for (const [method, headers] of passes) {
    assert.equal((await run(guard, { method, headers })).status, 200, `${method} ${JSON.stringify(headers)}`);
  }
  assert.equal((await run(guard, { method: 'POST', headers: { ...own, origin: 'https://localhost:4221' } })).status, 403, 'scheme differs');
  assert.equal((await run(originGuard(), { method: 'POST', headers: { host: 'x.example', origin: 'https://x.example' } })).status, 200, 'behind a TLS proxy, without scheme');
});

test('origin guard: a WebSocket handshake is checked as an unsafe request, though it is a GET', async () => {
  const guard = originGuard({ scheme: 'http', allow: ['https://app.example.com'] });
  const upgrade = { ...own, connection: 'Upgrade', upgrade: 'websocket' };
  for (const headers of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }]) {
    const result = await run(guard, { upgrade: true, headers: { ...upgrade, ...headers } });
    assert.equal(result.status, 403, JSON.stringify(headers));
    assert.equal(result.passed, false);
  }
  for (const headers of [{ origin: 'http://localhost:4221', 'sec-fetch-site': 'same-origin' }, {}, { origin: 'https://app.example.com' }]) {
    assert.equal((await run(guard, { upgrade: true, headers: { ...upgrade, ...headers } })).status, 200, JSON.stringify(headers));
  }
});

test('origin guard: allowed origins are exempt', async () => {
  const guard = originGuard({ allow: ['https://app.example.com/'] });
  const allowed = { ...own, origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' };
  assert.equal((await run(guard, { method: 'PUT', headers: allowed })).status, 200);
  assert.equal((await run(guard, { method: 'PUT', headers: { ...allowed, origin: 'https://app.example.com:8443' } })).status, 403);
  assert.equal((await run(guard, { method: 'PUT', headers: { ...allowed, origin: 'null' } })).status, 403);
  assert.equal((await run(originGuard({ allow: '*' }), { method: 'PUT', headers: allowed })).status, 200);
  assert.throws(() => originGuard({ allow: ['app.example.com'] }), /not an origin/);
});

test('CORS: preflights from allowed origins, read-only methods unless write', async () => {
  const readOnly = cors({ origins: ['https://app.example.com'] });
  const preflight = (method, headers = {}) => ({
    method: 'OPTIONS',
    path: '/files/a.txt',
    headers: { origin: 'https://app.example.com', 'access-control-request-method': method, ...headers },
  });
  const get = await run(readOnly, preflight('GET', { 'access-control-request-headers': 'range' }));
  assert.equal(get.status, 204);
  assert.equal(get.passed, false);
  assert.equal(get.header('access-control-allow-origin'), 'https://app.example.com');
  assert.equal(get.header('access-control-allow-methods'), 'GET');
  assert.equal(get.header('access-control-allow-headers'), 'range');
  assert.equal(get.header('vary'), 'Origin');
  const put = await run(readOnly, preflight('PUT'));
  assert.equal(put.status, 403);
  assert.equal(put.header('access-control-allow-origin'), undefined);
  const writable = cors({ origins: ['https://app.example.com'], write: true });
  assert.equal((await run(writable, preflight('PUT'))).header('access-control-allow-methods'), 'PUT');
  const other = await run(readOnly, preflight('GET', { origin: 'https://evil.example' }));
  assert.equal(other.passed, true, 'a preflight from another origin reaches the handler, which sends no CORS header');
  assert.equal(other.header('access-control-allow-origin'), undefined);
});

test('CORS: actual requests get Allow-Origin only when allowed; errors keep the headers', async () => {
  const policy = cors({ origins: ['https://app.example.com'] });
  const from = (origin, method = 'GET') => ({ method, headers: { origin } });
  const ok = await run(policy, from('https://app.example.com'));
  assert.equal(ok.header('access-control-allow-origin'), 'https://app.example.com');
  assert.match(ok.header('access-control-expose-headers'), /ETag/);
  const none = await run(policy, {});
  assert.equal(none.header('access-control-allow-origin'), undefined);
  assert.equal(none.header('vary'), 'Origin');
  const foreign = await run(policy, from('https://evil.example'));
  assert.equal(foreign.header('access-control-allow-origin'), undefined);
  const post = await run(policy, from('https://app.example.com', 'POST'));
  assert.equal(post.header('access-control-allow-origin'), undefined, 'writes are not shared without write: true');
  const { HttpError } = await import('../../dist/index.js');
  const failed = await run(policy, from('https://app.example.com'), () => {
    throw new HttpError(404, 'Not Found');
  });
  assert.equal(failed.status, 404);
  assert.equal(failed.header('access-control-allow-origin'), 'https://app.example.com');
  const star = await run(cors({ origins: '*' }), from('https://any.example'));
  assert.equal(star.header('access-control-allow-origin'), '*');
  assert.equal(star.header('vary'), undefined);
  assert.throws(() => cors({ origins: ['ftp://x'] }), /not an origin/);
});
