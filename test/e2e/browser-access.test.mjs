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

/**
 * What the server answered a fetch the page itself makes (so with whatever credentials the
 * browser holds), read from the access log: after a 401 with a Basic challenge a headless
 * browser waits for a login prompt that never shows, so the fetch is then cut.
 */
async function answered(page, server, method, url) {
  const line = `"${method} ${new URL(url).pathname} HTTP/1.1"`;
  const before = server.stdout().split(line).length;
  await page.evaluate(([m, u]) => {
    window.pendingFetch = new AbortController();
    fetch(u, { method: m, body: m === 'PUT' ? 'x' : undefined, cache: 'no-store', signal: window.pendingFetch.signal }).catch(() => {});
  }, [method, url]);
  for (let i = 0; i < 200; i++) {
    const parts = server.stdout().split(line);
    if (parts.length > before) {
      await page.evaluate(() => window.pendingFetch.abort());
      return Number(/^ (\d{3}) /.exec(parts.at(-1))[1]);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${line} in the access log`);
}

test('listing page: "Log out" drops the credentials, so writes and protected reads need a login again', { timeout: 90_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-browser-logout-'));
  await mkdir(path.join(dir, 'pub'));
  await writeFile(path.join(dir, 'secret.txt'), 'secret\n');
  const server = await startCli(['--directory', dir, '--auth', '@/pub:ro', '--auth', `alice:${htpasswd('alice', 'secret pw')}@/:rw`]);
  // Credentials in the URL, as a user would type them into the browser's own login prompt:
  // the browser keeps them itself (not a test hook that would answer every later challenge).
  const browser = await launch(t);
  try {
    if (browser === null) return;
    const { page } = browser;
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const base = `http://127.0.0.1:${server.port}/files/`;
    const status = (method, name) => answered(page, server, method, `${base}${name}`);

    await page.goto(`http://alice:secret%20pw@127.0.0.1:${server.port}/files/?login`);
    await page.goto(base);
    await page.waitForSelector('.user');
    assert.equal(await page.locator('.user').innerText(), 'Logged in as alice');
    const logout = page.getByRole('button', { name: 'Log out' });
    assert.equal(await logout.count(), 1, 'a labelled "Log out" control');
    assert.equal(await status('GET', 'secret.txt'), 200, 'logged in: the protected file reads');
    assert.equal(await status('PUT', 'written.txt'), 201, 'logged in: writes');

    const [navigation] = await Promise.all([page.waitForNavigation(), logout.click()]);
    assert.equal(new URL(page.url()).pathname, '/files/');
    assert.equal(navigation?.status(), 200, 'the folder is still listed to anonymous visitors');
    await page.waitForSelector('#login');
    assert.equal(await page.locator('.user, #logout').count(), 0);
    assert.equal(await status('GET', 'secret.txt'), 401, 'logged out: the protected file needs a login');
    assert.equal(await status('PUT', 'after.txt'), 401, 'logged out: writes need a login');
    assert.equal(await readFile(path.join(dir, 'written.txt'), 'utf8'), 'x');
    await assert.rejects(stat(path.join(dir, 'after.txt')), { code: 'ENOENT' });
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser?.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
