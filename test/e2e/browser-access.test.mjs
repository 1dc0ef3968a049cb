// The listing page under access rules in a real browser (headless Chromium): anonymous users
// write only where a rule lets them and see no write controls elsewhere; a logged-in user
// (through the page's "Log in" link) uploads, creates folders and deletes everywhere.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { launch } from '../app/files/chromium.mjs';
import { startCli } from '../helpers.mjs';
import { htpasswd } from './access-helpers.mjs';

/** Uploads through the file picker, creates "new folder" through the prompt, deletes `victim`. */
async function useWriteControls(page, dir, victim) {
  const content = Buffer.from(`uploaded ${'x'.repeat(50_000)}\n`);
  await page.setInputFiles('#file-input', { name: 'upload.txt', mimeType: 'text/plain', buffer: content });
  await page.waitForSelector('tr[data-name="upload.txt"]', { timeout: 10_000 });
  assert.deepEqual(await readFile(path.join(dir, 'upload.txt')), content);
  await page.click('#new-folder');
  await page.waitForSelector('tr[data-name="new folder"]', { timeout: 10_000 });
  assert.ok((await stat(path.join(dir, 'new folder'))).isDirectory());
  await page.click(`tr[data-name="${victim}"] button.delete`);
  await page.waitForSelector(`tr[data-name="${victim}"]`, { state: 'detached', timeout: 10_000 });
  await assert.rejects(stat(path.join(dir, victim)), { code: 'ENOENT' });
}

test('listing page: anonymous and logged-in users write where the rules allow', { timeout: 90_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-browser-access-'));
  await mkdir(path.join(dir, 'drop'));
  await writeFile(path.join(dir, 'root.txt'), 'root\n');
  await writeFile(path.join(dir, 'drop', 'old.txt'), 'old\n');
  const server = await startCli(['--directory', dir, '--auth', '@/:ro,/drop:rw', '--auth', `alice:${htpasswd('alice', 'secret pw')}@/:rw`]);
  const anonymous = await launch(t);
  const loggedIn = anonymous === null ? null : await launch(t, { httpCredentials: { username: 'alice', password: 'secret pw' } });
  const base = `http://127.0.0.1:${server.port}/files/`;
  try {
    if (anonymous === null || loggedIn === null) return;
    const pageErrors = [];
    for (const { page } of [anonymous, loggedIn]) {
      page.on('dialog', (dialog) => void (dialog.type() === 'prompt' ? dialog.accept('new folder') : dialog.accept()));
      page.on('pageerror', (error) => pageErrors.push(error.message));
    }
    const page = anonymous.page;

    // Anonymous at the top: read-only, so no write controls, and a way to log in.
    await page.goto(base);
    await page.waitForSelector('tr[data-name="root.txt"]');
    assert.equal(await page.locator('#login').innerText(), 'Log in');
    assert.equal(await page.locator('#new-folder, #upload-files, #upload-folder').count(), 0);
    assert.equal(await page.locator('tr[data-name="root.txt"] button.delete, tr[data-name="root.txt"] button.rename').count(), 0);
    assert.equal(await page.locator('tr[data-name="drop"] button.delete').count(), 1, '@/drop:rw covers the folder itself');

    // Anonymous in /drop (@/drop:rw): every write control works.
    await page.goto(`${base}drop/`);
    await useWriteControls(page, path.join(dir, 'drop'), 'old.txt');

    // Logged in through the page's link: alice writes at the top.
    const alice = loggedIn.page;
    await alice.goto(base);
    await alice.click('#login');
    await alice.waitForSelector('.user');
    assert.equal(await alice.locator('.user').innerText(), 'Logged in as alice');
    await useWriteControls(alice, dir, 'root.txt');
    assert.deepEqual(pageErrors, []);
  } finally {
    await anonymous?.close();
    await loggedIn?.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
