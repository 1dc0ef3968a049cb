// The listing page in a real browser (headless Chromium from the system, driven by
// playwright-core): upload by file picker and by drag and drop, download, create a folder, delete.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startCli } from '../../helpers.mjs';
import { ARGS, CHROMIUM } from './chromium.mjs';

const ARTIFACTS = fileURLToPath(new URL('../../../artifacts/', import.meta.url));

/** A directory that looks like something people would serve. */
async function populate(dir) {
  await mkdir(path.join(dir, 'photos'));
  await mkdir(path.join(dir, 'reports 2026'));
  await writeFile(path.join(dir, 'README.md'), '# Shared files\n\nDrop anything here.\n'.repeat(40));
  await writeFile(path.join(dir, 'notes.txt'), 'remember the milk\n');
  await writeFile(path.join(dir, 'budget.csv'), 'month,amount\n'.repeat(2000));
  await writeFile(path.join(dir, 'backup.tar.gz'), '');
  await truncate(path.join(dir, 'backup.tar.gz'), 734 * 1024 * 1024);
  await writeFile(path.join(dir, '<img src=x onerror=alert(1)>.png'), 'not really a picture');
}

test('listing page: upload, list, download byte-exact, create a folder, delete', { timeout: 60_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`no Chromium at ${CHROMIUM} (apt-get install -y chromium); browser test skipped`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-browser-'));
  const profile = await mkdtemp(path.join(tmpdir(), 'wirehttp-chromium-'));
  await populate(dir);
  const server = await startCli(['--directory', dir]);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1100, height: 660 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const dialogs = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      if (dialog.type() === 'prompt') void dialog.accept('new folder');
      else void dialog.accept();
    });
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const base = `http://127.0.0.1:${server.port}/files/`;
    await page.goto(base);
    assert.equal(await page.title(), 'Index of /');
    const xssRow = page.locator('tr[data-name="<img src=x onerror=alert(1)>.png"] td.name');
    assert.equal(await xssRow.innerText(), '<img src=x onerror=alert(1)>.png', 'the name shows as text');

    // Upload through the file picker.
    const content = Buffer.from(`uploaded through the page \u2713\n${'x'.repeat(100_000)}\n`);
    await page.setInputFiles('#file-input', { name: 'hello world.txt', mimeType: 'text/plain', buffer: content });
    await page.waitForSelector('tr[data-name="hello world.txt"]', { timeout: 10_000 });
    assert.deepEqual(await readFile(path.join(dir, 'hello world.txt')), content);
    assert.equal(await page.locator('tr[data-name="hello world.txt"] td.num').innerText(), '98 KiB');

    // Upload several files at once by drag and drop.
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['first dropped file'], 'dropped-1.txt', { type: 'text/plain' }));
      transfer.items.add(new File(['second dropped file'], 'dropped-2.txt', { type: 'text/plain' }));
      for (const type of ['dragenter', 'dragover', 'drop']) {
        document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    });
    await page.waitForSelector('tr[data-name="dropped-2.txt"]', { timeout: 10_000 });
    await page.waitForSelector('tr[data-name="dropped-1.txt"]');
    assert.equal(await readFile(path.join(dir, 'dropped-1.txt'), 'utf8'), 'first dropped file');
    assert.equal(await readFile(path.join(dir, 'dropped-2.txt'), 'utf8'), 'second dropped file');

    // Download it back, byte for byte.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('tr[data-name="hello world.txt"] a.download'),
    ]);
    assert.equal(download.suggestedFilename(), 'hello world.txt');
    assert.deepEqual(await readFile(await download.path()), content);

    // Sorting by size puts the largest file last, then first.
    await page.click('th[data-key="size"] button');
    await page.click('th[data-key="size"] button');
    const firstFile = await page.locator('#entries tr[data-type="file"]').first().getAttribute('data-name');
    assert.equal(firstFile, 'backup.tar.gz');
    await page.click('th[data-key="name"] button');

    await page.hover('tr[data-name="hello world.txt"]');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, 'listing.png') });

    // Create a folder (the prompt is answered "new folder").
    await page.click('#new-folder');
    await page.waitForSelector('tr[data-name="new folder"][data-type="directory"]', { timeout: 10_000 });
    assert.ok((await stat(path.join(dir, 'new folder'))).isDirectory());

    // Delete, accepting the confirmation.
    await page.click('tr[data-name="hello world.txt"] button.delete');
    await page.waitForSelector('tr[data-name="hello world.txt"]', { state: 'detached', timeout: 10_000 });
    await assert.rejects(stat(path.join(dir, 'hello world.txt')), { code: 'ENOENT' });
    assert.match(await page.locator('#message').innerText(), /Deleted "hello world.txt"/);

    assert.deepEqual(dialogs, ['prompt: Name of the new folder:', 'confirm: Delete file "hello world.txt"?']);
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(profile, { recursive: true, force: true });
  }
});
