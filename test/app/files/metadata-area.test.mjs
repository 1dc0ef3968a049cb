// The hidden metadata area <served dir>/.wirehttp/ is the server's own: never served, listed
// or writable through HTTP, with or without --hidden, whichever way the name is spelled.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFileServer } from './file-server.mjs';

const STATE = '{"locks":[]}';

for (const flags of [[], ['--hidden']]) {
  describe(`the metadata area (${flags.join(' ') || 'default'})`, { timeout: 30_000 }, () => {
    let dir;
    let server;
    let base;

    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-meta-'));
      await mkdir(path.join(dir, '.wirehttp'));
      await writeFile(path.join(dir, '.wirehttp', 'state.json'), STATE);
      await mkdir(path.join(dir, 'sub', '.wirehttp'), { recursive: true });
      await writeFile(path.join(dir, 'sub', '.wirehttp', 'state.json'), STATE);
      await writeFile(path.join(dir, 'visible.txt'), 'hello');
      await symlink('.wirehttp', path.join(dir, 'meta-link'));
      server = await startFileServer(['--directory', dir, ...flags]);
      base = `http://127.0.0.1:${server.port}/files/`;
    });
    after(async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    });

    test('is never served, under any spelling or through a link', async () => {
      const names = [
        '.wirehttp',
        '.wirehttp/',
        '.wirehttp/state.json',
        '%2Ewirehttp/state.json',
        '%2ewirehttp/state.json',
        'sub/.wirehttp/state.json',
        'sub/../.wirehttp/state.json',
        'meta-link/state.json',
        'meta-link/',
      ];
      for (const name of names) {
        for (const method of ['GET', 'HEAD']) {
          const res = await fetch(`${base}${name}`, { method, redirect: 'manual' });
          const body = await res.text();
          assert.equal(res.status, 404, `${method} ${name}`);
          assert.ok(!body.includes('locks'), `${method} ${name}`);
        }
      }
      assert.equal(await (await fetch(`${base}visible.txt`)).text(), 'hello');
    });

    test('is never listed', async () => {
      for (const listing of ['', 'sub/']) {
        const res = await fetch(`${base}${listing}`, { headers: { Accept: 'application/json' } });
        assert.equal(res.status, 200);
        const names = (await res.json()).map((entry) => entry.name);
        assert.ok(!names.includes('.wirehttp'), `${listing}: ${names.join(' ')}`);
        assert.ok(!names.includes('meta-link'), `${listing}: ${names.join(' ')}`);
      }
      const page = await (await fetch(base)).text();
      assert.ok(page.includes('visible.txt'));
      assert.ok(!page.includes('.wirehttp'));
    });

    test('is never writable: PUT, POST, DELETE and new folders are refused and change nothing', async () => {
      const attempts = [
        ['PUT', '.wirehttp/state.json'],
        ['PUT', '.wirehttp/new.json'],
        ['POST', '.wirehttp/new.json'],
        ['POST', '.wirehttp/locks/'],
        ['PUT', '.wirehttp'],
        ['POST', '.wirehttp/'],
        ['PUT', 'sub/.wirehttp/state.json'],
        ['PUT', 'meta-link/state.json'],
        ['DELETE', '.wirehttp/state.json'],
        ['DELETE', '.wirehttp/'],
        ['DELETE', 'sub/.wirehttp/state.json'],
      ];
      for (const [method, name] of attempts) {
        const res = await fetch(`${base}${name}`, { method, body: method === 'DELETE' ? undefined : 'overwritten' });
        await res.arrayBuffer();
        assert.equal(res.status, 404, `${method} ${name}`);
      }
      assert.equal(await readFile(path.join(dir, '.wirehttp', 'state.json'), 'utf8'), STATE);
      assert.equal(await readFile(path.join(dir, 'sub', '.wirehttp', 'state.json'), 'utf8'), STATE);
      assert.deepEqual(await readdir(path.join(dir, '.wirehttp')), ['state.json']);
    });
  });
}
