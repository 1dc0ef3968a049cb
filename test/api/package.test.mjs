// The published package: `npm pack` output installs into an empty folder and works there as a
// command (`npx wirehttp`) and as a library (`import { createServer } from 'wirehttp'`),
// with its types, and without exposing internals to deep imports.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { exchange, listeningPort, parseResponses } from '../helpers.mjs';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let tmp;
let app;
before(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'wirehttp-package-'));
  app = path.join(tmp, 'app');
  await mkdir(app);
  // `npm test` has just built dist/; packing must not rebuild it under the other tests' feet.
  const { stdout } = await run(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT });
  const tarball = path.join(tmp, JSON.parse(stdout)[0].filename);
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  await run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app });
});
after(() => rm(tmp, { recursive: true, force: true }));

test('the package ships dist/ with an executable CLI and the license, and no sources or tests', async () => {
  const installed = path.join(app, 'node_modules', 'wirehttp');
  const cli = path.join(installed, 'dist', 'cli.js');
  assert.ok(((await stat(cli)).mode & 0o111) !== 0, 'dist/cli.js is executable');
  assert.ok((await readFile(cli, 'utf8')).startsWith('#!/usr/bin/env node\n'));
  await stat(path.join(installed, 'dist', 'index.d.ts'));
  assert.match(await readFile(path.join(installed, 'LICENSE'), 'utf8'), /^MIT License/);
  await assert.rejects(stat(path.join(installed, 'src')), { code: 'ENOENT' });
  await assert.rejects(stat(path.join(installed, 'test')), { code: 'ENOENT' });
});

test('the manifest names the repository, and the README shows only images npm can resolve from it', async () => {
  const installed = path.join(app, 'node_modules', 'wirehttp');
  const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.repository, { type: 'git', url: 'git+https://github.com/wirehttp/wirehttp.git' });
  assert.equal(manifest.homepage, 'https://github.com/wirehttp/wirehttp#readme');
  assert.deepEqual(manifest.bugs, { url: 'https://github.com/wirehttp/wirehttp/issues' });
  assert.ok(manifest.keywords.includes('hono') && manifest.keywords.includes('websocket'), manifest.keywords.join(', '));
  // npm's page resolves a relative image against the repository: each must be a file there.
  const readme = await readFile(path.join(installed, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length > 0);
  for (const image of images) {
    if (/^https:\/\//.test(image)) continue;
    assert.doesNotMatch(image, /^(\/|\.\.)/, `${image}: relative to the repository's root`);
    await stat(path.join(ROOT, image));
  }
});

test('npx wirehttp starts the server from the installed package', async () => {
  // Its own process group, so stopping it stops npx and the server npx started.
  const proc = spawn('npx', ['--no-install', 'wirehttp', '--port', '0', '--quiet'], {
    cwd: app,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  try {
    const port = await listeningPort(proc, 15_000).port;
    const { raw } = await exchange(port, 'GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    assert.equal(parseResponses(raw)[0].status, 200);
  } finally {
    process.kill(-proc.pid, 'SIGKILL');
    await exited;
  }
});

test("import { createServer } from 'wirehttp' works; deep imports are refused", async () => {
  const program = `
    import { createServer, Router, HttpError } from 'wirehttp';
    const router = new Router()
      .get('/hello/:name', (req, res) => res.end('Hello, ' + req.params.name))
      .get('/teapot', () => { throw new HttpError(418, 'short and stout'); });
    const server = createServer(router.handle, { keepAliveTimeoutMs: 1000 });
    const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
    const hello = await fetch('http://127.0.0.1:' + port + '/hello/package');
    const teapot = await fetch('http://127.0.0.1:' + port + '/teapot');
    let deep;
    try { await import('wirehttp/dist/server/connection.js'); deep = 'imported'; } catch (error) { deep = error.code; }
    await server.close(1000);
    const parts = [typeof (await import('wirehttp')).serve, typeof (await import('wirehttp/files')).serveFiles, typeof (await import('wirehttp/compress')).compress];
    console.log(JSON.stringify({ hello: await hello.text(), teapot: teapot.status, deep, parts }));
  `;
  await writeFile(path.join(app, 'consumer.mjs'), program);
  const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: app, timeout: 15_000 });
  assert.deepEqual(JSON.parse(stdout), {
    hello: 'Hello, package',
    teapot: 418,
    deep: 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    parts: ['function', 'function', 'function'],
  });
});

test('the installed types type-check a TypeScript consumer', async () => {
  const source = `
    import { basicAuth, createServer, Router, HttpError, serve, type Request, type Response, type ServerOptions } from 'wirehttp';
    import { serveFiles } from 'wirehttp/files';
    import { compress } from 'wirehttp/compress';
    const options: Partial<ServerOptions> = { maxBodyBytes: 1024, headersTimeoutMs: 5000 };
    const router = new Router().get('/', (req: Request, res: Response) => {
      if (req.method !== 'GET') throw new HttpError(405, 'no');
      res.end('ok');
    });
    const server = createServer(router.handle, options);
    const ready: Promise<unknown> = server.listen({ port: 0 });
    const done: Promise<void> = server.close(100);
    void ready; void done;
    router.get('/static/*', serveFiles('./public', { listing: false, uploads: false, hidden: false }));
    router.get('/app/*', serveFiles('./app', { index: true, spa: true, maxPathDepth: 8, access: basicAuth({ rules: ['@/:ro'], paths: 'handler' }) }));
    const compressed = createServer(compress(router.handle, { threshold: 2048, codings: ['gzip'] }));
    compressed.on('upgrade', (req, socket, head) => {
      const url: string = req.url;
      const key: string | undefined = req.headers['sec-websocket-key'];
      socket.end(head.length > 0 ? url : key ?? '');
    });
    const fetchServer = serve({ fetch: (request, info) => new globalThis.Response(request.url + info.remoteAddress), port: 0, overrideGlobalObjects: false });
    void fetchServer.close(0);
  `;
  const broken = `import { createServer } from 'wirehttp';\nconst n: number = createServer(() => {});\nvoid n;\n`;
  await writeFile(path.join(app, 'consumer.ts'), source);
  await writeFile(path.join(app, 'broken.ts'), broken);
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'nodenext', '--moduleResolution', 'nodenext',
    '--target', 'es2022', '--types', 'node', '--typeRoots', path.join(ROOT, 'node_modules', '@types')];
  // One run over both files: consumer.ts must be clean, and the deliberate error in broken.ts
  // must be the only one reported (proving the types are really checked).
  const result = await run(process.execPath, [tsc, ...flags, 'consumer.ts', 'broken.ts'], { cwd: app }).then(
    () => ({ stdout: '' }),
    (error) => error,
  );
  const errors = result.stdout.split('\n').filter((line) => /error TS/.test(line));
  assert.equal(errors.length, 1, result.stdout);
  assert.match(errors[0], /^broken\.ts\(2,7\): error TS2322/);
});
