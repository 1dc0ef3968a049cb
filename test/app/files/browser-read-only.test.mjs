// serveFiles' listing page in headless Chromium: a mount without uploads shows no control
// that would only get 405 (upload, new folder, rename, delete, dropping files); with uploads
// the same page offers them.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createServer, Router } from '../../../dist/index.js';
import { serveFiles } from '../../../dist/app/files/public.js';
import { launch } from './chromium.mjs';

const WRITE_CONTROLS = '#new-folder, #upload-files, #upload-folder, #entries button.rename, #entries button.delete';

test('a serveFiles mount without uploads offers no write controls; with uploads it does', { timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-read-only-'));
  await writeFile(path.join(dir, 'report.txt'), 'report');
  const requests = [];
  const router = new Router().get('/ro/*', serveFiles(dir));
  const writable = serveFiles(dir, { uploads: true });
  for (const method of ['GET', 'PUT', 'POST', 'DELETE']) router.on(method, '/rw/*', writable);
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.path}`);
    return router.handle(req, res);
  });
  const [{ port }] = await server.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launch(t);
  try {
    if (browser === null) return;
    const { page } = browser;
    await page.goto(`http://127.0.0.1:${port}/ro/`);
    await page.waitForSelector('tr[data-name="report.txt"]');
    assert.equal(await page.locator(WRITE_CONTROLS).count(), 0);
    assert.equal(await page.locator('tr[data-name="report.txt"] a.download').count(), 1, 'reading stays offered');
    assert.equal(await page.locator('#drop-overlay').count(), 0);
    // A drop is not taken as an upload: nothing is sent.
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['x'], 'dropped.txt', { type: 'text/plain' }));
      for (const type of ['dragenter', 'dragover', 'drop']) document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    assert.equal(await page.locator('#uploads').isVisible(), false);
    assert.deepEqual(requests.filter((line) => !line.startsWith('GET ')), []);

    await page.goto(`http://127.0.0.1:${port}/rw/`);
    await page.waitForSelector('tr[data-name="report.txt"]');
    assert.equal(await page.locator('#new-folder, #upload-files, #upload-folder').count(), 3);
    assert.equal(await page.locator('tr[data-name="report.txt"] button.delete').count(), 1);
  } finally {
    await browser?.close();
    await server.close(100);
    await rm(dir, { recursive: true, force: true });
  }
});
