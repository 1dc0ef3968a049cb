// Command-line and environment configuration of the CLI: --help, --version, validation, exit codes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { CLI, exchange, parseResponses, startCli } from '../helpers.mjs';

/** Waits (up to 3 s) until `condition()` holds. */
async function until(condition) {
  for (let i = 0; i < 150 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Runs the CLI to completion (it must exit by itself); resolves { code, stdout, stderr }. */
function runCli(args, env = {}) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const FLAGS = [
  ['--port', 'WIREHTTP_PORT', '4221'],
  ['--host', 'WIREHTTP_HOST', 'localhost'],
  ['--directory', 'WIREHTTP_DIRECTORY', 'none'],
  ['--hidden', 'WIREHTTP_HIDDEN', 'off'],
  ['--workers', 'WIREHTTP_WORKERS', '1'],
  ['--log-format', 'WIREHTTP_LOG_FORMAT', 'combined'],
  ['--quiet', 'WIREHTTP_QUIET', 'off'],
  ['--tls-cert', 'WIREHTTP_TLS_CERT', 'none'],
  ['--tls-key', 'WIREHTTP_TLS_KEY', 'none'],
  ['--trust-proxy', 'WIREHTTP_TRUST_PROXY', 'off'],
  ['--keep-alive-timeout', 'WIREHTTP_KEEP_ALIVE_TIMEOUT', '5s'],
  ['--headers-timeout', 'WIREHTTP_HEADERS_TIMEOUT', '10s'],
  ['--body-timeout', 'WIREHTTP_BODY_TIMEOUT', '30s'],
  ['--send-timeout', 'WIREHTTP_SEND_TIMEOUT', '60s'],
  ['--shutdown-delay', 'WIREHTTP_SHUTDOWN_DELAY', '0s'],
  ['--shutdown-timeout', 'WIREHTTP_SHUTDOWN_TIMEOUT', '10s'],
  ['--max-body-size', 'WIREHTTP_MAX_BODY_SIZE', '64G'],
  ['--max-connections', 'WIREHTTP_MAX_CONNECTIONS', '20000'],
  ['--max-path-depth', 'WIREHTTP_MAX_PATH_DEPTH', '64'],
];

test('--help lists every flag with its default and environment variable, exit 0', async () => {
  const { code, stdout } = await runCli(['--help']);
  assert.equal(code, 0);
  for (const [flag, env, def] of FLAGS) {
    const at = stdout.indexOf(`${flag} `) >= 0 ? stdout.indexOf(`${flag} `) : stdout.indexOf(`${flag}\n`);
    assert.ok(at >= 0, `${flag} listed`);
    const entry = stdout.slice(at, stdout.indexOf('\n', stdout.indexOf('\n', at) + 1));
    assert.ok(entry.includes(`default: ${def}, env: ${env}`), `${flag}: ${entry}`);
  }
});

test('--version prints the version from package.json', async () => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  const { code, stdout } = await runCli(['--version']);
  assert.equal(code, 0);
  assert.equal(stdout, `wirehttp ${version}\n`);
});

test('invalid flags and values: one line naming the flag, exit 2', async () => {
  const cases = [
    [['--port', 'http'], '--port'],
    [['--port', '70000'], '--port'],
    [['--workers', '0'], '--workers'],
    [['--log-format', 'xml'], '--log-format'],
    [['--keep-alive-timeout', 'soon'], '--keep-alive-timeout'],
    [['--headers-timeout', '0'], '--headers-timeout'],
    [['--body-timeout', '-1'], '--body-timeout'],
    [['--shutdown-timeout', '1h'], '--shutdown-timeout'],
    [['--send-timeout', '0'], '--send-timeout'],
    [['--shutdown-delay', 'later'], '--shutdown-delay'],
    [['--max-body-size', 'lots'], '--max-body-size'],
    [['--max-connections', '1.5'], '--max-connections'],
    [['--quiet=yes'], '--quiet'],
    [['--no-such-flag'], '--no-such-flag'],
    [['--directory'], '--directory'],
    [['--tls-cert', 'cert.pem'], '--tls-cert'],
  ];
  await Promise.all(
    cases.map(async ([args, flag]) => {
      const { code, stderr, stdout } = await runCli(args);
      assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
      assert.equal(stdout, '');
      assert.match(stderr, /^wirehttp: [^\n]+\n$/, `one line for ${args.join(' ')}`);
      assert.ok(stderr.includes(flag), `${args.join(' ')} -> ${stderr}`);
    }),
  );
});

test('an invalid environment variable names the variable and the flag, exit 2', async () => {
  const { code, stderr } = await runCli([], { WIREHTTP_MAX_BODY_SIZE: 'huge' });
  assert.equal(code, 2);
  assert.match(stderr, /^wirehttp: WIREHTTP_MAX_BODY_SIZE \(--max-body-size\): [^\n]+"huge"\n$/);
  const bool = await runCli([], { WIREHTTP_QUIET: 'maybe' });
  assert.equal(bool.code, 2);
  assert.match(bool.stderr, /WIREHTTP_QUIET/);
  // An empty variable is not a value: the server starts with the defaults.
  const server = await startCli(['--quiet'], { env: { WIREHTTP_DIRECTORY: '', WIREHTTP_MAX_BODY_SIZE: '' } });
  assert.match(server.stderr(), /no --directory/);
  await server.stop();
});

test('unusable directory: one line, exit 1', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-opts-'));
  try {
    const file = path.join(dir, 'plain-file');
    await writeFile(file, 'x');
    for (const target of [path.join(dir, 'missing'), file]) {
      const { code, stderr } = await runCli(['--port', '0', '--directory', target]);
      assert.equal(code, 1);
      assert.match(stderr, /^wirehttp: --directory: [^\n]+\n$/);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('port in use: one line, exit 1', async () => {
  const blocker = net.createServer();
  await new Promise((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = blocker.address();
    const { code, stderr } = await runCli(['--port', String(port), '--host', '127.0.0.1']);
    assert.equal(code, 1);
    assert.equal(stderr, `wirehttp: --port: port ${port} is already in use\n`);
  } finally {
    blocker.close();
  }
});

test('settings come from WIREHTTP_* variables; a flag wins over its variable', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-env-'));
  const env = { WIREHTTP_PORT: '0', WIREHTTP_DIRECTORY: dir, WIREHTTP_LOG_FORMAT: 'json', WIREHTTP_HOST: '127.0.0.1' };
  const proc = spawn(process.execPath, [CLI], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let stderr = '';
    let stdout = '';
    proc.stdout.on('data', (d) => (stdout += d));
    const port = await new Promise((resolve, reject) => {
      proc.stderr.on('data', (d) => {
        stderr += d;
        const m = /listening on [^\n]*?:(\d+)/.exec(stderr);
        if (m) resolve(Number(m[1]));
      });
      proc.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    assert.ok(port > 0);
    assert.match(stderr, /listening on 127\.0\.0\.1:\d+ /);
    assert.ok(stderr.includes(`serving ${dir}`), stderr);
    await writeFile(path.join(dir, 'a.txt'), 'from env');
    const [res] = parseResponses((await exchange(port, 'GET /files/a.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).raw);
    assert.equal(res.body.toString(), 'from env');
    await until(() => stdout.includes('\n'));
    assert.equal(JSON.parse(stdout.trim().split('\n')[0]).target, '/files/a.txt');
  } finally {
    proc.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
  // The flag wins: --log-format combined despite WIREHTTP_LOG_FORMAT=json.
  const server = await startCli(['--log-format', 'combined'], { env: { WIREHTTP_LOG_FORMAT: 'json', WIREHTTP_PORT: '1' } });
  try {
    await exchange(server.port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    await until(() => server.stdout().includes('\n'));
    assert.match(server.stdout(), /^\S+ - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 /);
  } finally {
    await server.stop();
  }
});
