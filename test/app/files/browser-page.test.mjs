// The listing page's comforts in headless Chromium: replace or skip on upload, rename and move,
// keyboard, sort kept in the URL, search box, QR code, folder upload, progress and cancel,
// dark mode and accessibility (axe-core). The README's screenshots: scripts/screenshots.mjs.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startCli } from '../../helpers.mjs';
import jsQR from 'jsqr';
import { launch } from './chromium.mjs';

const AXE = fileURLToPath(new URL('../../../node_modules/axe-core/axe.min.js', import.meta.url));

let dir;
let server;
let base;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-page-'));
  await mkdir(path.join(dir, 'photos'));
  await mkdir(path.join(dir, 'reports 2026'));
  await writeFile(path.join(dir, 'photos/beach.jpg'), 'jpeg');
  await writeFile(path.join(dir, 'README.md'), '# Shared files\n'.repeat(40));
  await writeFile(path.join(dir, 'notes.txt'), 'old notes');
  await writeFile(path.join(dir, 'budget.csv'), 'month,amount\n'.repeat(2000));
  await writeFile(path.join(dir, 'todo.txt'), 'old todo');
  server = await startCli(['--directory', dir, '--quiet']);
  base = `http://127.0.0.1:${server.port}/files/`;
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

/** RGBA pixels of a PNG, decoded by the page's own canvas. */
function decodePng(page, png) {
  return page.evaluate(async (dataUrl) => {
    const img = new Image();
    img.src = dataUrl;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, pixels: Array.from(data) };
  }, `data:image/png;base64,${png.toString('base64')}`);
}

/** Drops files (name → text) on the page as a drag and drop would. */
function drop(page, files) {
  return page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const [name, text] of list) transfer.items.add(new File([text], name, { type: 'text/plain' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, files);
}

test('an upload over an existing name asks first: replace, skip, skip all', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === null) return;
  const { page } = browser;
  try {
    await page.goto(base);
    await drop(page, [['notes.txt', 'new notes']]);
    const ask = page.locator('dialog#ask');
    await ask.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#ask-title').innerText(), 'Replace "notes.txt"?');
    assert.equal(await ask.locator('[data-choice="replace-all"]').isVisible(), false, 'one file: no "all" choices');
    await ask.locator('[data-choice="replace"]').click();
    await page.waitForFunction(() => document.querySelector('#upload-list li.done'));
    assert.equal(await readFile(path.join(dir, 'notes.txt'), 'utf8'), 'new notes');

    await drop(page, [['todo.txt', 'new todo'], ['notes.txt', 'newer notes'], ['fresh.txt', 'fresh']]);
    await ask.waitFor({ state: 'visible' });
    assert.equal(await ask.locator('[data-choice="skip-all"]').isVisible(), true);
    await ask.locator('[data-choice="skip-all"]').click();
    await page.waitForSelector('tr[data-name="fresh.txt"]');
    assert.equal(await readFile(path.join(dir, 'todo.txt'), 'utf8'), 'old todo');
    assert.equal(await readFile(path.join(dir, 'notes.txt'), 'utf8'), 'new notes');
    assert.equal(await readFile(path.join(dir, 'fresh.txt'), 'utf8'), 'fresh');
    assert.equal(await page.locator('#upload-list li.skipped').count(), 2);
  } finally {
    await browser.close();
  }
});

test('rename and move from the row go through WebDAV MOVE, asking before replacing', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === null) return;
  const { page } = browser;
  const answers = ['renamed.txt', 'photos/moved.txt', 'taken.txt', 'taken.txt', 'reports 2026/q1/deeper/here.txt'];
  page.on('dialog', (dialog) => void dialog.accept(answers.shift()));
  const moves = [];
  page.on('request', (request) => {
    if (request.method() !== 'GET') moves.push({ method: request.method(), url: request.url(), destination: request.headers().destination, overwrite: request.headers().overwrite });
  });
  try {
    await writeFile(path.join(dir, 'draft.txt'), 'draft');
    await writeFile(path.join(dir, 'other.txt'), 'other');
    await writeFile(path.join(dir, 'taken.txt'), 'taken');
    await page.goto(base);
    await page.click('tr[data-name="draft.txt"] button.rename');
    await page.waitForSelector('tr[data-name="renamed.txt"]');
    assert.equal(await readFile(path.join(dir, 'renamed.txt'), 'utf8'), 'draft');
    assert.deepEqual(moves.shift(), { method: 'MOVE', url: `${base}draft.txt`, destination: `${base}renamed.txt`, overwrite: 'F' });
    await page.click('tr[data-name="renamed.txt"] button.rename');
    await page.waitForSelector('tr[data-name="renamed.txt"]', { state: 'detached' });
    assert.equal(await readFile(path.join(dir, 'photos/moved.txt'), 'utf8'), 'draft');
    assert.match(await page.locator('#message').innerText(), /Moved "renamed.txt" to "photos\/moved.txt"/);
    assert.equal(moves.shift().destination, `${base}photos/moved.txt`);

    // An existing name: "Replace?" — skip keeps both, replace sends the MOVE again with Overwrite: T.
    const ask = page.locator('dialog#ask');
    await page.click('tr[data-name="other.txt"] button.rename');
    await ask.waitFor({ state: 'visible' });
    assert.equal(await page.locator('#ask-title').innerText(), 'Replace "taken.txt"?');
    assert.equal(await ask.locator('[data-choice="replace-all"]').isVisible(), false);
    await ask.locator('[data-choice="skip"]').click();
    await ask.waitFor({ state: 'hidden' });
    assert.equal(await readFile(path.join(dir, 'taken.txt'), 'utf8'), 'taken');
    assert.equal(await readFile(path.join(dir, 'other.txt'), 'utf8'), 'other');
    await page.click('tr[data-name="other.txt"] button.rename');
    await ask.waitFor({ state: 'visible' });
    await ask.locator('[data-choice="replace"]').click();
    await page.waitForSelector('tr[data-name="other.txt"]', { state: 'detached' });
    assert.equal(await readFile(path.join(dir, 'taken.txt'), 'utf8'), 'other');
    assert.deepEqual(moves.splice(0).map((m) => `${m.method} ${m.overwrite}`), ['MOVE F', 'MOVE F', 'MOVE T']);

    // Folders missing on the way are made first (the one there already answers 405).
    await page.click('tr[data-name="taken.txt"] button.rename');
    await page.waitForSelector('tr[data-name="taken.txt"]', { state: 'detached' });
    assert.equal(await readFile(path.join(dir, 'reports 2026/q1/deeper/here.txt'), 'utf8'), 'other');
    assert.deepEqual(moves.splice(0).map((m) => `${m.method} ${new URL(m.url).pathname}`), [
      'MOVE /files/taken.txt',
      'MKCOL /files/reports%202026/',
      'MKCOL /files/reports%202026/q1/',
      'MKCOL /files/reports%202026/q1/deeper/',
      'MOVE /files/taken.txt',
    ]);
  } finally {
    await browser.close();
  }
});

test('keyboard only: arrows, Enter opens, Backspace and Alt+Up go up; sort kept in the URL', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === null) return;
  const { page } = browser;
  try {
    await page.goto(base);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.closest('tr').dataset.name), 'photos');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}photos/`);
    await page.waitForSelector('tr[data-name="beach.jpg"]');
    await page.keyboard.press('Backspace');
    await page.waitForURL(base);
    await page.goto(`${base}photos/`);
    await page.keyboard.press('Alt+ArrowUp');
    await page.waitForURL(base);
    // Tab reaches the sort buttons; the sort goes into the URL and survives a reload.
    await page.focus('th[data-key="size"] button');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    assert.equal(new URL(page.url()).search, '?sort=size&order=desc');
    await page.reload();
    assert.equal(await page.locator('th[data-key="size"]').getAttribute('aria-sort'), 'descending');
    assert.equal(await page.locator('#entries tr[data-type="file"]').first().getAttribute('data-name'), 'budget.csv');
  } finally {
    await browser.close();
  }
});

test('search box, QR code of the folder, folder upload keeping the tree', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === null) return;
  const { page } = browser;
  const tree = await mkdtemp(path.join(tmpdir(), 'wirehttp-tree-'));
  try {
    await mkdir(path.join(tree, 'album/2026'), { recursive: true });
    await writeFile(path.join(tree, 'album/cover.txt'), 'cover');
    await writeFile(path.join(tree, 'album/2026/june.txt'), 'june');
    await page.goto(base);
    await page.fill('#q', 'BEACH');
    await page.press('#q', 'Enter');
    await page.waitForURL(`${base}?q=BEACH`);
    assert.match(await page.locator('.results').innerText(), /photos\/beach\.jpg/);

    await page.goto(base);
    await page.click('#qr');
    const image = page.locator('#qr-image');
    await image.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.getElementById('qr-image').naturalWidth > 0);
    assert.equal(await page.locator('#qr-url').innerText(), base);
    // Read the code as a phone's camera would: from the pixels on screen.
    const { width, height, pixels } = await decodePng(page, await image.screenshot());
    const code = jsQR(new Uint8ClampedArray(pixels), width, height);
    assert.ok(code !== null, 'a QR code is found in the dialog');
    assert.equal(code.data, base);
    await page.keyboard.press('Escape');

    await page.setInputFiles('#folder-input', path.join(tree, 'album'));
    await page.waitForSelector('tr[data-name="album"][data-type="directory"]');
    assert.equal(await readFile(path.join(dir, 'album/cover.txt'), 'utf8'), 'cover');
    assert.equal(await readFile(path.join(dir, 'album/2026/june.txt'), 'utf8'), 'june');
  } finally {
    await browser.close();
    await rm(tree, { recursive: true, force: true });
  }
});

test('upload progress per file and overall, and cancel leaves nothing behind', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t);
  if (browser === null) return;
  const { page } = browser;
  try {
    await page.goto(base);
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(300 * 1024 * 1024)], 'huge.bin'));
      transfer.items.add(new File(['small'], 'small.txt'));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    });
    await page.waitForSelector('#uploads:not([hidden])');
    assert.equal(await page.locator('#upload-list li').count(), 2);
    await page.click('#upload-list li:first-child button.cancel');
    await page.waitForSelector('#upload-list li.cancelled');
    await page.waitForSelector('tr[data-name="small.txt"]');
    assert.match(await page.locator('#overall-text').innerText(), /^2 of 2 files$/);
    assert.equal(await page.locator('tr[data-name="huge.bin"]').count(), 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const left = (await readdir(dir)).filter((name) => name.startsWith('.wirehttp-') || name === 'huge.bin');
    assert.deepEqual(left, [], 'no partial or temporary file');
    // A large file goes up resumably; cancelling it abandons the partial upload on the server too.
    const uploads = path.join(dir, '.wirehttp', 'tus');
    const pending = async () => (await readdir(uploads).catch(() => [])).filter((name) => /^[0-9a-f]{32}$/.test(name));
    for (let i = 0; i < 50 && (await pending()).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(await pending(), [], 'no partial upload kept');
  } finally {
    await browser.close();
  }
});

test('light and dark, desktop and phone size: no serious accessibility violations', { timeout: 90_000 }, async (t) => {
  const browser = await launch(t, { bypassCSP: true });
  if (browser === null) return;
  const { page } = browser;
  try {
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [device, viewport] of [
        ['desktop', { width: 1100, height: 700 }],
        ['phone', { width: 390, height: 780 }],
      ]) {
        await page.setViewportSize(viewport);
        await page.goto(base);
        await page.waitForSelector('#entries tr[data-pos]');
        const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
        assert.equal(background, scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(245, 246, 248)');
        await page.addScriptTag({ path: AXE });
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, { resultTypes: ['violations'] });
          return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
        });
        t.diagnostic(`${scheme} ${device}: axe violations ${JSON.stringify(violations)}`);
        const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
        assert.deepEqual(bad, [], `${scheme} ${device}`);
      }
    }
    // Every icon button has a name a screen reader can read.
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('button, a')].filter((el) => !(el.getAttribute('aria-label') || el.textContent.trim())).length,
    );
    assert.equal(unnamed, 0);
  } finally {
    await browser.close();
  }
});
