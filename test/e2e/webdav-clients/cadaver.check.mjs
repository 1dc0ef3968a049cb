// A scripted cadaver session against the real CLI: mkcol, put, lock, propset, move, copy,
// unlock, rm. Needs the `cadaver` command; run with `npm run test:webdav`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startCli } from '../../helpers.mjs';

let dir;
let work;
let server;

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-cadaver-'));
  work = await mkdtemp(path.join(tmpdir(), 'wirehttp-cadaver-local-'));
  server = await startCli(['--directory', dir]);
});
after(async () => {
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

/** Feeds `commands` to cadaver on stdin; resolves its whole output. */
function cadaver(commands) {
  return new Promise((resolve, reject) => {
    const child = spawn('cadaver', [`http://127.0.0.1:${server.port}/files/`], { cwd: work });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(output);
    });
    child.stdin.end(`${commands.join('\n')}\nquit\n`);
  });
}

test('cadaver: a session of mkcol, put, lock, propset, move, copy, unlock and rm does what it says', { timeout: 60_000 }, async () => {
  await writeFile(path.join(work, 'notes.txt'), 'cadaver was here\n');
  const output = await cadaver([
    'mkcol project',
    'put notes.txt project/notes.txt',
    'lock project',
    'propset project/notes.txt color blue',
    'move project/notes.txt project/renamed.txt',
    'copy project/renamed.txt project/copy.txt',
    'propget project/copy.txt color',
    'unlock project',
    'rm project/renamed.txt',
    'ls project',
  ]);
  const steps = output.split('dav:/files/> ').slice(1);
  for (const step of steps.slice(0, 9)) assert.match(step, /succeeded|Value of color is: blue/, output);
  assert.match(output, /Value of color is: blue/, 'the copy has the property');
  assert.deepEqual(await readdir(path.join(dir, 'project')), ['copy.txt']);
  assert.equal(await readFile(path.join(dir, 'project/copy.txt'), 'utf8'), 'cadaver was here\n');
  const locks = JSON.parse(await readFile(path.join(dir, '.wirehttp/locks.json'), 'utf8'));
  assert.deepEqual(locks.locks, [], 'unlocked');
});
