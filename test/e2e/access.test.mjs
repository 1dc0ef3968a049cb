// The access rules against the real CLI: cross-site writes, Host checks, logins and per-path
// rules, read-only mode, CORS, the access log and /healthz.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CLI, startCli } from '../helpers.mjs';
import { basic, call, htpasswd } from './access-helpers.mjs';

async function servedDir() {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-access-'));
  await mkdir(path.join(dir, 'pub'));
  await mkdir(path.join(dir, 'private'));
  await writeFile(path.join(dir, 'pub', 'a.txt'), 'public\n');
  await writeFile(path.join(dir, 'private', 'secret.txt'), 'secret\n');
  await writeFile(path.join(dir, 'victim.txt'), 'keep me\n');
  return dir;
}

describe('1. browser-origin protection (default loopback server)', () => {
  let server;
  let dir;
  before(async () => {
    dir = await servedDir();
    server = await startCli(['--directory', dir]);
  });
  after(() => server.stop());

  test('cross-site POST, PUT, DELETE are refused with 403 and change nothing', async () => {
    const evil = { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' };
    for (const [method, name] of [['POST', 'posted.txt'], ['PUT', 'put.txt'], ['PATCH', 'patched.txt']]) {
      const res = await call(server.port, method, `/files/${name}`, { ...evil, 'Content-Type': 'text/plain' }, 'pwned');
      assert.ok(res.status === 403 || (method === 'PATCH' && res.status === 405), `${method}: ${res.status}`);
      assert.equal(existsSync(path.join(dir, name)), false, method);
    }
    assert.equal((await call(server.port, 'DELETE', '/files/victim.txt', evil)).status, 403);
    for (const headers of [{ Origin: 'null' }, { Origin: 'http://localhost:1' }, { 'Sec-Fetch-Site': 'same-site' }]) {
      const res = await call(server.port, 'DELETE', '/files/victim.txt', headers);
      assert.equal(res.status, 403, JSON.stringify(headers));
      assert.match(res.body.toString(), /cross-site/);
    }
    assert.equal(await readFile(path.join(dir, 'victim.txt'), 'utf8'), 'keep me\n');
  });

  test('same-origin requests and requests without Origin/Sec-Fetch-Site still write', async () => {
    const own = { Origin: `http://localhost:${server.port}`, 'Sec-Fetch-Site': 'same-origin' };
    assert.equal((await call(server.port, 'POST', '/files/own.txt', own, 'mine')).status, 201);
    assert.equal((await call(server.port, 'POST', '/files/curl.txt', {}, 'curl')).status, 201);
    assert.equal(await readFile(path.join(dir, 'own.txt'), 'utf8'), 'mine');
    assert.equal((await call(server.port, 'DELETE', '/files/own.txt', own)).status, 204);
    const read = await call(server.port, 'GET', '/files/victim.txt', { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(read.status, 200, 'reads are not refused (without CORS the page cannot see them)');
    assert.equal(read.headers['access-control-allow-origin'], undefined);
  });
});

describe('2. Host check against DNS rebinding', () => {
  let dir;
  before(async () => {
    dir = await servedDir();
  });

  test('loopback-only: localhost, *.localhost and loopback literals on any port; other names 421', async () => {
    const server = await startCli(['--directory', dir]);
    try {
      for (const host of ['localhost', `localhost:${server.port}`, 'app.localhost:1', '127.0.0.1:9', '[::1]:4221']) {
        assert.equal((await call(server.port, 'GET', '/files/pub/a.txt', { Host: host })).status, 200, host);
      }
      for (const host of [`attacker.example:${server.port}`, 'attacker.example', '192.168.0.10', 'localhost.attacker.example']) {
        const res = await call(server.port, 'GET', '/files/pub/a.txt', { Host: host });
        assert.equal(res.status, 421, host);
        assert.doesNotMatch(res.body.toString(), /public/);
      }
      assert.equal((await call(server.port, 'GET', '/healthz', { Host: 'attacker.example' })).status, 200, '/healthz stays open');
    } finally {
      await server.stop();
    }
  });

  test('--allowed-hosts replaces the rule, with *.example.com wildcards', async () => {
    const server = await startCli(['--directory', dir, '--allowed-hosts', 'files.example.com,*.example.org']);
    try {
      for (const host of ['files.example.com', 'a.example.org:8080', 'a.b.example.org']) {
        assert.equal((await call(server.port, 'GET', '/files/pub/a.txt', { Host: host })).status, 200, host);
      }
      for (const host of ['localhost', 'example.org', 'evil.example.com']) {
        assert.equal((await call(server.port, 'GET', '/files/pub/a.txt', { Host: host })).status, 421, host);
      }
    } finally {
      await server.stop();
    }
  });
});

describe('3. logins and per-path rules', () => {
  let server;
  let dir;
  let authFile;
  before(async () => {
    dir = await servedDir();
    authFile = path.join(dir, '..', `${path.basename(dir)}.rules`);
    await writeFile(authFile, `# logins\n\nbob:${htpasswd('bob', 'builder')}@/pub:rw\n`);
    server = await startCli([
      '--directory', dir,
      '--auth', `alice:${htpasswd('alice', 'wonderland')}@/:rw`,
      '--auth', '@/pub:ro',
      '--auth', 'carol:plain-pass@/private:ro',
      '--auth-file', authFile,
    ]);
  });
  after(() => server.stop());

  const alice = { Authorization: basic('alice', 'wonderland') };
  const bob = { Authorization: basic('bob', 'builder') };
  const carol = { Authorization: basic('carol', 'plain-pass') };

  test('the start-up line names the mode and warns about the plain password', () => {
    assert.match(server.stderr(), /read-write \(3 logins by --auth rules\)/);
    assert.match(server.stderr(), /warning: --auth: the password of carol is given in plain text/);
    assert.doesNotMatch(server.stderr(), /plain-pass/);
  });

  test('anonymous users: @ rules apply, elsewhere 401 with a Basic challenge', async () => {
    assert.equal((await call(server.port, 'GET', '/files/pub/a.txt')).status, 200);
    const res = await call(server.port, 'GET', '/files/private/secret.txt');
    assert.equal(res.status, 401);
    assert.equal(res.headers['www-authenticate'], 'Basic realm="wirehttp", charset="UTF-8"');
    assert.equal((await call(server.port, 'PUT', '/files/pub/new.txt', {}, 'x')).status, 401);
  });

  test('logged-in users: their rules, plus the anonymous ones; 403 without the right', async () => {
    assert.equal((await call(server.port, 'GET', '/files/private/secret.txt', alice)).status, 200);
    assert.equal((await call(server.port, 'PUT', '/files/private/alice.txt', alice, 'a')).status, 201);
    assert.equal((await call(server.port, 'PUT', '/files/pub/bob.txt', bob, 'b')).status, 201, 'from --auth-file');
    assert.equal((await call(server.port, 'GET', '/files/private/secret.txt', bob)).status, 403);
    assert.equal((await call(server.port, 'DELETE', '/files/private/secret.txt', carol)).status, 403);
    assert.equal((await call(server.port, 'GET', '/files/private/secret.txt', carol)).status, 200);
    assert.equal((await call(server.port, 'GET', '/files/pub/a.txt', carol)).status, 200, 'the anonymous rule still applies');
    assert.equal((await call(server.port, 'GET', '/files/pub/a.txt', { Authorization: basic('alice', 'nope') })).status, 401);
    assert.equal(existsSync(path.join(dir, 'private', 'secret.txt')), true);
  });

  test('a refused path answers the same whether it exists or not', async () => {
    const strip = (res) => `${res.status} ${JSON.stringify({ ...res.headers, date: '' })} ${res.body}`;
    for (const [method, headers] of [['GET', {}], ['GET', bob], ['DELETE', carol], ['PUT', {}]]) {
      const existing = await call(server.port, method, '/files/private/secret.txt', headers, method === 'PUT' ? 'x' : '');
      const missing = await call(server.port, method, '/files/private/no-such.txt', headers, method === 'PUT' ? 'x' : '');
      assert.ok(existing.status === 401 || existing.status === 403);
      assert.equal(strip(existing), strip(missing), method);
    }
  });

  test('".." and percent-encoding cannot climb out of a rule path', async () => {
    for (const target of ['/files/pub/../private/secret.txt', '/files/pub/%2e%2e/private/secret.txt', '/files/pub%2F..%2Fprivate%2Fsecret.txt']) {
      const res = await call(server.port, 'GET', target);
      assert.ok(res.status === 400 || res.status === 401, `${target}: ${res.status}`);
      assert.doesNotMatch(res.body.toString(), /secret/);
    }
  });

  test('/healthz needs no login', async () => {
    assert.equal((await call(server.port, 'GET', '/healthz')).status, 200);
  });
});

test('3. failed logins: the 11th attempt within a minute gets 429 with Retry-After', async () => {
  const dir = await servedDir();
  const server = await startCli(['--directory', dir, '--auth', `alice:${htpasswd('alice', 'right')}@/:rw`]);
  try {
    for (let i = 0; i < 10; i++) {
      assert.equal((await call(server.port, 'GET', '/files/pub/a.txt', { Authorization: basic('alice', `guess${i}`) })).status, 401);
    }
    const blocked = await call(server.port, 'GET', '/files/pub/a.txt', { Authorization: basic('alice', 'right') });
    assert.equal(blocked.status, 429);
    const wait = Number(blocked.headers['retry-after']);
    assert.ok(wait > 0 && wait <= 60, blocked.headers['retry-after']);
  } finally {
    await server.stop();
  }
});

describe('4. read-only and read-write modes', () => {
  test('loopback default: read-write, the course\'s POST /files/{name} works', async () => {
    const dir = await servedDir();
    const server = await startCli(['--directory', dir]);
    try {
      assert.match(server.stderr(), /serving .*, read-write\n/);
      assert.equal((await call(server.port, 'POST', '/files/course.txt', { 'Content-Type': 'application/octet-stream' }, 'hello')).status, 201);
    } finally {
      await server.stop();
    }
  });

  test('--read-only: writes 403 (also for rw rules), reads work, the start-up line says so', async () => {
    const dir = await servedDir();
    const server = await startCli(['--directory', dir, '--read-only', '--auth', 'alice:pw@/:rw', '--auth', '@/:ro']);
    try {
      assert.match(server.stderr(), /read-only/);
      assert.equal((await call(server.port, 'GET', '/files/victim.txt')).status, 200);
      assert.equal((await call(server.port, 'DELETE', '/files/victim.txt', { Authorization: basic('alice', 'pw') })).status, 403);
      const plain = await startCli(['--directory', dir, '--read-only']);
      try {
        const res = await call(plain.port, 'POST', '/files/x.txt', {}, 'x');
        assert.equal(res.status, 403);
        assert.equal(res.headers['www-authenticate'], undefined, 'no login could help');
      } finally {
        await plain.stop();
      }
      assert.equal(existsSync(path.join(dir, 'x.txt')), false);
    } finally {
      await server.stop();
    }
  });
});

describe('5. CORS', () => {
  let dir;
  before(async () => {
    dir = await servedDir();
  });
  const app = 'http://app.example';

  test('without --cors no CORS header is ever sent', async () => {
    const server = await startCli(['--directory', dir]);
    try {
      const pre = await call(server.port, 'OPTIONS', '/files/pub/a.txt', { Origin: app, 'Access-Control-Request-Method': 'GET' });
      const get = await call(server.port, 'GET', '/files/pub/a.txt', { Origin: app });
      for (const res of [pre, get]) assert.deepEqual(Object.keys(res.headers).filter((name) => name.startsWith('access-control-')), []);
    } finally {
      await server.stop();
    }
  });

  test('--cors ORIGIN: preflights and Allow-Origin for that origin, reads only', async () => {
    const server = await startCli(['--directory', dir, '--cors', app]);
    try {
      const pre = await call(server.port, 'OPTIONS', '/files/pub/a.txt', { Origin: app, 'Access-Control-Request-Method': 'GET' });
      assert.equal(pre.status, 204);
      assert.equal(pre.headers['access-control-allow-origin'], app);
      const get = await call(server.port, 'GET', '/files/pub/a.txt', { Origin: app });
      assert.equal(get.headers['access-control-allow-origin'], app);
      assert.match(get.headers.vary, /Origin/);
      assert.equal((await call(server.port, 'GET', '/files/pub/a.txt', { Origin: 'http://other.example' })).headers['access-control-allow-origin'], undefined);
      assert.equal((await call(server.port, 'OPTIONS', '/files/pub/x', { Origin: app, 'Access-Control-Request-Method': 'PUT' })).status, 403);
      const put = await call(server.port, 'PUT', '/files/pub/cors.txt', { Origin: app, 'Sec-Fetch-Site': 'cross-site' }, 'x');
      assert.equal(put.status, 403, 'without --cors-write an allowed origin still may not write');
    } finally {
      await server.stop();
    }
  });

  test('--cors-write: the allowed origin may write; other origins still may not', async () => {
    const server = await startCli(['--directory', dir, '--cors', app, '--cors-write']);
    try {
      const pre = await call(server.port, 'OPTIONS', '/files/pub/x', { Origin: app, 'Access-Control-Request-Method': 'PUT' });
      assert.equal(pre.headers['access-control-allow-methods'], 'PUT');
      const put = await call(server.port, 'PUT', '/files/pub/cors.txt', { Origin: app, 'Sec-Fetch-Site': 'cross-site' }, 'x');
      assert.equal(put.status, 201);
      assert.equal(put.headers['access-control-allow-origin'], app);
      const evil = await call(server.port, 'PUT', '/files/pub/evil.txt', { Origin: 'http://evil.example', 'Sec-Fetch-Site': 'cross-site' }, 'x');
      assert.equal(evil.status, 403);
    } finally {
      await server.stop();
    }
  });
});

test('6. every refusal is in the access log with its status', async () => {
  const dir = await servedDir();
  const server = await startCli(['--directory', dir, '--log-format', 'json', '--auth', '@/pub:ro']);
  try {
    await call(server.port, 'GET', '/files/private/secret.txt');
    await call(server.port, 'GET', '/files/pub/a.txt', { Host: 'evil.example' });
    await call(server.port, 'PUT', '/files/pub/a.txt', { Origin: 'http://evil.example' }, 'x');
    const deadline = Date.now() + 5000;
    while (server.stdout().split('\n').length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const statuses = server.stdout().trim().split('\n').map((line) => JSON.parse(line).status);
    assert.deepEqual(statuses, [403, 421, 403], 'no logins configured: a forbidden path is 403, not 401');
  } finally {
    await server.stop();
  }
});

test('bad rules: one line naming the rule, exit 2', async () => {
  const dir = await servedDir();
  const file = path.join(dir, 'rules.txt');
  await writeFile(file, '# ok\n@/pub\nalice:pw@/x:rx\n');
  const cases = [
    [['--auth', 'alice:s3cret@/x:wr'], /^wirehttp: --auth: invalid rule "alice:\*\*\*@\/x:wr": unknown access ":wr"/],
    [['--auth', 'alice@/'], /^wirehttp: --auth: invalid rule "alice@\/"/],
    [['--auth-file', file], new RegExp(`^wirehttp: --auth-file: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: invalid rule "alice:\\*\\*\\*@/x:rx"`)],
    [['--auth', 'a:one@/', '--auth', 'a:two@/x'], /^wirehttp: --auth: invalid rule "a:\*\*\*@\/x": user a already has a rule/],
  ];
  for (const [args, expected] of cases) {
    const result = spawnSync(process.execPath, [CLI, '--port', '0', '--directory', dir, ...args], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(result.status, 2, args.join(' '));
    assert.match(result.stderr, expected);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.doesNotMatch(result.stderr, /s3cret/);
  }
});
