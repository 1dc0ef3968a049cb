// --workers: several processes share one port; a crashed worker is restarted; shutdown is graceful.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { connect, exchange, parseResponses, startCli } from '../helpers.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** PIDs of the direct children of `pid` (Linux). */
async function childrenOf(pid) {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
  return text.split(' ').filter(Boolean).map(Number);
}

async function getStatus(port, target = '/') {
  const { raw } = await exchange(port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  return parseResponses(raw)[0].status;
}

test('--workers 2: one port, one start-up line, crashed workers are restarted, SIGTERM exits 0', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-workers-'));
  const server = await startCli(['--workers', '2', '--log-format', 'json', '--directory', dir]);
  try {
    assert.equal(server.stderr().match(/listening on/g).length, 1);
    assert.match(server.stderr(), /2 workers/);
    const workers = await childrenOf(server.pid);
    assert.equal(workers.length, 2);

    const statuses = await Promise.all(Array.from({ length: 8 }, () => getStatus(server.port, '/healthz')));
    assert.deepEqual(statuses, Array(8).fill(200));

    process.kill(workers[0], 'SIGKILL');
    for (let i = 0; i < 100 && !/worker \d+ started/.test(server.stderr()); i++) await sleep(20);
    assert.match(server.stderr(), new RegExp(`worker ${workers[0]} exited \\(signal SIGKILL\\), starting another in \\d+ms`));
    assert.match(server.stderr(), /worker \d+ started/);
    const now = await childrenOf(server.pid);
    assert.equal(now.length, 2);
    assert.ok(!now.includes(workers[0]));
    assert.ok(now.includes(workers[1]));

    const after = await Promise.all(Array.from({ length: 8 }, () => getStatus(server.port)));
    assert.deepEqual(after, Array(8).fill(200));

    // The workers' access-log lines reach stdout through the primary, whole.
    for (let i = 0; i < 50 && server.stdout().split('\n').filter(Boolean).length < 16; i++) await sleep(20);
    const lines = server.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.equal(lines.filter((l) => l.target === '/').length, 8);

    // Even when every worker dies at once, the new ones serve the same port (here chosen by --port 0).
    for (const pid of now) process.kill(pid, 'SIGKILL');
    const startedLines = () => server.stderr().match(/worker \d+ started/g)?.length ?? 0;
    for (let i = 0; i < 150 && startedLines() < 3; i++) await sleep(20);
    assert.equal(startedLines(), 3, server.stderr());
    assert.equal(await getStatus(server.port), 200);
    const workersNow = await childrenOf(server.pid);

    // SIGTERM while an upload is in flight: the primary has its worker finish it, then exits 0.
    const upload = await connect(server.port);
    const chunks = [];
    upload.on('data', (d) => chunks.push(d));
    const uploadClosed = new Promise((resolve) => upload.once('close', resolve));
    upload.write('POST /files/up.bin HTTP/1.1\r\nHost: localhost\r\nContent-Length: 300000\r\n\r\n');
    upload.write(Buffer.alloc(100_000, 0x63));
    await sleep(150);
    process.kill(server.pid, 'SIGTERM');
    await sleep(200);
    upload.write(Buffer.alloc(100_000, 0x63));
    await sleep(100);
    upload.write(Buffer.alloc(100_000, 0x63));
    await uploadClosed;
    assert.equal(parseResponses(Buffer.concat(chunks))[0].status, 201);
    const { code } = await server.exited;
    assert.equal(code, 0, server.stderr());
    assert.match(server.stderr(), /SIGTERM: shutting down 2 workers/);
    assert.equal((await readFile(path.join(dir, 'up.bin'))).length, 300_000);
    for (const pid of workersNow) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('--workers: a start-up failure in the workers is reported once, exit 1', async () => {
  const blocker = await startCli(['--quiet', '--host', '127.0.0.1']);
  try {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../helpers.mjs');
    const proc = spawn(process.execPath, [CLI, '--workers', '2', '--host', '127.0.0.1', '--port', String(blocker.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => proc.once('exit', resolve));
    assert.equal(code, 1);
    assert.equal(stderr, `wirehttp: --port: port ${blocker.port} is already in use\n`);
  } finally {
    await blocker.stop();
  }
});
