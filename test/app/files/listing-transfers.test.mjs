// The listing page in headless Chromium: a large upload resumes after a reload (tus, by
// fingerprint), and the folder downloads as a zip. No network beyond the test's own server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startCli } from '../../helpers.mjs';
import { ARGS, CHROMIUM } from './chromium.mjs';
import { run } from './archive/archive-helpers.mjs';

const MiB = 1024 * 1024;

test('listing page: a large upload resumes after a reload; the folder downloads as a zip', { timeout: 120_000 }, async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`no Chromium at ${CHROMIUM}; browser test skipped`);
    return;
  }
  const { chromium } = await import('playwright-core');
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-transfers-'));
  const work = await mkdtemp(path.join(tmpdir(), 'wirehttp-transfers-work-'));
  const profile = await mkdtemp(path.join(tmpdir(), 'wirehttp-chromium-'));
  await mkdir(path.join(dir, 'in'));
  await writeFile(path.join(dir, 'in', 'note ✓.txt'), 'already here\n');
  const big = randomBytes(48 * MiB);
  const bigPath = path.join(work, 'large vidéo.bin');
  await writeFile(bigPath, big);
  const server = await startCli(['--directory', dir]);
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    acceptDownloads: true,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const patches = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') patches.push(Number(request.headers()['upload-offset']));
    });
    // Slow the upload down so that the reload lands in the middle of it.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 12 * MiB });
    const folder = `http://127.0.0.1:${server.port}/files/in/`;
    await page.goto(folder);

    await page.setInputFiles('#file-input', bigPath);
    await page.waitForResponse((res) => res.request().method() === 'PATCH' && res.status() === 204, { timeout: 30_000 });
    const progress = await page.locator('#upload-list .state').first().innerText();
    assert.match(progress, /^\d+%$|retrying/, `mid-upload state: ${progress}`);
    await page.reload();
    // Nothing partial is visible while the upload is unfinished; the page says how to resume.
    assert.equal(await page.locator('tr[data-name="large vidéo.bin"]').count(), 0);
    assert.match(await page.locator('#message').innerText(), /Unfinished upload: large vidéo\.bin/);
    const listed = await (await fetch(folder, { headers: { Accept: 'application/json' } })).json();
    assert.deepEqual(listed.map((e) => e.name), ['note ✓.txt']);

    const before = patches.length;
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.setInputFiles('#file-input', bigPath);
    await page.waitForSelector('tr[data-name="large vidéo.bin"]', { timeout: 60_000 });
    const resumedAt = patches[before];
    assert.ok(resumedAt > 0, `the upload resumed at ${resumedAt}, not from the start`);
    assert.ok((await readFile(path.join(dir, 'in', 'large vidéo.bin'))).equals(big), 'byte-exact');
    assert.equal(await page.locator('#message').isVisible(), false, 'the unfinished-upload notice is gone');

    // The folder as a zip, through the page's button.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-zip')]);
    assert.equal(download.suggestedFilename(), 'in.zip');
    const zip = path.join(work, 'in.zip');
    await download.saveAs(zip);
    assert.match(run('unzip', ['-tq', zip]), /No errors detected/);
    assert.equal(run('unzip', ['-p', zip, 'note ✓.txt']), 'already here\n');
    assert.deepEqual(pageErrors, []);
    console.log(`# resumed at ${(resumedAt / MiB).toFixed(1)} MiB of 48 MiB`);
  } finally {
    await context.close();
    await server.stop();
    for (const folder of [dir, work, profile]) await rm(folder, { recursive: true, force: true });
  }
});
