// wirehttp behind nginx (from Debian), as it is run in production: two instances in one
// upstream with keep-alive connections. Rolling restarts must lose no request (a POST that
// nginx already sent on a connection we close is answered 502, not retried), and idle gaps
// around nginx's upstream keepalive_timeout must not produce a 502 either: with the README's
// advice (wirehttp's --keep-alive-timeout longer than the proxy's), nginx always closes first.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createServer, sendText } from '../../dist/index.js';
import { startCli } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'].find(
  (file) => spawnSync(file, ['-v']).status === 0,
);
const skip = NGINX === undefined ? 'nginx is not installed (apt-get install nginx-light); .ci/run installs it' : false;

const FILE_BODY = 'hello from a file\n';

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-nginx-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A port that was free a moment ago (the instances must come back on the same one). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${port}`);
    await sleep(50);
  }
}

/**
 * Starts nginx in the foreground (one process, no daemon) with a generated configuration whose
 * pid, logs and temporary files are all in a fresh folder; proxies to `upstreams` over
 * HTTP/1.1 keep-alive connections idle at most `keepaliveTimeout`.
 */
async function startNginx(upstreams, { keepaliveTimeout }) {
  const home = await mkdtemp(path.join(dir, 'nginx-'));
  const port = await freePort();
  const servers = upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=0;`).join('\n');
  // max_fails=0: an instance being restarted refuses connections for a moment; nginx then
  // tries the other one (safe for a POST: nothing was sent) and must not mark it down for
  // fail_timeout, or the next restart would leave no instance to try.
  const config = `
daemon off;
master_process off;
worker_processes 1;
pid ${home}/nginx.pid;
error_log ${home}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${home}/body;
  proxy_temp_path ${home}/proxy;
  fastcgi_temp_path ${home}/fastcgi;
  uwsgi_temp_path ${home}/uwsgi;
  scgi_temp_path ${home}/scgi;
  upstream app {
${servers}
    keepalive 32;
    keepalive_timeout ${keepaliveTimeout};
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # As the README advises: pass the client's Host on (else wirehttp sees the upstream's name).
      proxy_set_header Host $host;
    }
  }
}
`;
  const file = path.join(home, 'nginx.conf');
  await writeFile(file, config);
  const proc = spawn(NGINX, ['-p', home, '-c', file, '-e', path.join(home, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  await Promise.race([waitForPort(port), exited.then(() => Promise.reject(new Error(`nginx exited: ${stderr}`)))]);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

/** One wirehttp instance on a fixed port with its own served folder holding `hello.txt`. */
async function startInstance(name, port, extraArgs = []) {
  const served = path.join(dir, name);
  await mkdir(served, { recursive: true });
  await writeFile(path.join(served, 'hello.txt'), FILE_BODY);
  return startCli(['--host', '127.0.0.1', '--port', String(port), '--directory', served, '--quiet', ...extraArgs]);
}

/** Sends one request through nginx; returns null when it succeeded, else what went wrong. */
async function attempt(url, method, n) {
  try {
    if (method === 'GET') {
      const res = await fetch(`${url}/files/hello.txt`);
      const text = await res.text();
      return res.status === 200 && text === FILE_BODY ? null : `GET ${res.status}`;
    }
    const res = await fetch(`${url}/files/upload-${n}.txt`, { method: 'POST', body: `body ${n}\n` });
    await res.arrayBuffer();
    return res.status === 201 ? null : `POST ${res.status}`;
  } catch (error) {
    return `${method} ${error.cause?.code ?? error.message}`;
  }
}

/**
 * Runs `clients` request loops (GET and POST in turn) until `done()` says stop, bounded by
 * `maxRequests` and `maxMs`. Returns the counts by method and the failures by kind.
 */
async function load(url, { clients, done, maxRequests, maxMs, gapMs = 0 }) {
  const counts = { GET: 0, POST: 0, failed: 0, failures: {} };
  const until = Date.now() + maxMs;
  let n = 0;
  const loop = async () => {
    while (!done() && n < maxRequests && Date.now() < until) {
      const method = n % 2 === 0 ? 'GET' : 'POST';
      const failure = await attempt(url, method, n++);
      counts[method]++;
      if (failure !== null) {
        counts.failed++;
        counts.failures[failure] = (counts.failures[failure] ?? 0) + 1;
      }
      if (gapMs > 0) await sleep(gapMs);
    }
  };
  await Promise.all(Array.from({ length: clients }, loop));
  return counts;
}

test('rolling restarts of two instances behind nginx lose no GET and no POST', { skip, timeout: 120_000 }, async (t) => {
  const ports = [await freePort(), await freePort()];
  const instances = [await startInstance('a', ports[0]), await startInstance('b', ports[1])];
  const nginx = await startNginx(ports, { keepaliveTimeout: '2s' });
  try {
    const RESTARTS = 4;
    let restarting = true;
    const traffic = load(nginx.url, { clients: 6, done: () => !restarting, maxRequests: 100_000, maxMs: 90_000 });
    let restartMs = 0;
    for (let i = 0; i < RESTARTS; i++) {
      await sleep(400);
      const which = i % 2;
      const old = instances[which];
      const startedAt = Date.now();
      process.kill(old.pid, 'SIGTERM');
      const { code } = await old.exited;
      assert.equal(code, 0, old.stderr());
      instances[which] = await startInstance(which === 0 ? 'a' : 'b', ports[which]);
      restartMs = Math.max(restartMs, Date.now() - startedAt);
    }
    await sleep(400);
    restarting = false;
    const counts = await traffic;
    t.diagnostic(
      `${RESTARTS} restarts (slowest ${restartMs} ms): ${counts.GET} GET, ${counts.POST} POST, ` +
        `${counts.failed} failed ${JSON.stringify(counts.failures)}`,
    );
    assert.ok(counts.GET > 100 && counts.POST > 100, 'traffic flowed during the restarts');
    assert.equal(counts.failed, 0, JSON.stringify(counts.failures));
  } finally {
    await nginx.stop();
    for (const instance of instances) await instance.stop();
  }
});

test('idle gaps around nginx\'s upstream keepalive_timeout give no 502: nginx closes first', { skip, timeout: 60_000 }, async (t) => {
  // The README's advice: the server keeps idle connections longer (30 s) than the proxy (1 s).
  const server = createServer(async (req, res) => {
    for await (const _ of req.body);
    sendText(res, 201, 'stored\n');
  }, { keepAliveTimeoutMs: 30_000 });
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  const nginx = await startNginx([port], { keepaliveTimeout: '1s' });
  try {
    const counts = { requests: 0, failed: 0, failures: {} };
    // Gaps from well below to well above nginx's timeout, and around it in small steps.
    const gaps = [200, 600, 900, 950, 980, 1000, 1020, 1050, 1100, 1500];
    for (const gapMs of gaps) {
      for (let n = 0; n < 2; n++) {
        // Two clients, so two upstream connections are open and idle at once.
        const results = await Promise.all([attempt(nginx.url, 'POST', 0), attempt(nginx.url, 'POST', 1)]);
        counts.requests += 2;
        for (const failure of results.filter((r) => r !== null)) {
          counts.failed++;
          counts.failures[failure] = (counts.failures[failure] ?? 0) + 1;
        }
        await sleep(gapMs);
      }
    }
    assert.equal(await attempt(nginx.url, 'POST', 0), null);
    const openBefore = server.connectionCount;
    await sleep(2000);
    const openAfter = server.connectionCount;
    t.diagnostic(
      `${counts.requests} POST over idle gaps ${gaps[0]}..${gaps.at(-1)} ms: ${counts.failed} failed; ` +
        `upstream connections open ${openBefore}, 2 s later ${openAfter} (server keep-alive 30 s)`,
    );
    assert.equal(counts.failed, 0, JSON.stringify(counts.failures));
    assert.ok(openBefore > 0, 'nginx keeps its upstream connections open between requests');
    // Nobody used them for 2 s: nginx (1 s) closed them, long before the server's 30 s would.
    assert.equal(openAfter, 0, 'nginx closed its idle upstream connections first');
  } finally {
    await nginx.stop();
    await server.close(100);
  }
});

test('the README\'s examples keep idle connections longer than the balancer it names (60 s)', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  const unit = /WIREHTTP_KEEP_ALIVE_TIMEOUT=(\d+)s/.exec(readme);
  const library = /keepAliveTimeoutMs: ([\d_]+)/.exec(readme);
  assert.ok(unit !== null && library !== null, 'both examples set the keep-alive timeout');
  assert.ok(Number(unit[1]) > 60, `systemd example: ${unit[1]} s`);
  assert.ok(Number(library[1].replaceAll('_', '')) > 60_000, `library example: ${library[1]} ms`);
  assert.match(readme, /`--keep-alive-timeout` \*longer\* than the balancer's idle timeout/);
});
