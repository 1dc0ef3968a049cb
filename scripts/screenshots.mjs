#!/usr/bin/env node
// Takes the README's screenshots of the listing page into docs/: desktop and phone size, light
// and dark, in headless Chromium (/usr/bin/chromium, driven by playwright-core), of a folder
// that looks like one people share. Run after changing the page:
//   npm run build && node scripts/screenshots.mjs
import { mkdir, mkdtemp, rm, truncate, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ARGS, CHROMIUM } from '../test/app/files/chromium.mjs';
import { startCli } from '../test/helpers.mjs';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));
const VIEWPORTS = [
  ['desktop', { width: 1100, height: 700 }],
  ['phone', { width: 390, height: 780 }],
];

/** Folders and files (name → size in bytes), with modification times a few days apart. */
const FOLDERS = ['Photos 2026', 'Projects', 'Shared with the team'];
const FILES = [
  ['budget-2026.xlsx', 48_213],
  ['contract (signed).pdf', 1_284_511],
  ['holiday-video.mp4', 734 * 1024 * 1024],
  ['meeting notes.md', 6_142],
  ['README.txt', 912],
  ['site-backup.tar.gz', 96 * 1024 * 1024],
];

async function populate(dir) {
  const day = 24 * 60 * 60 * 1000;
  const start = Date.UTC(2026, 10, 2, 9, 41);
  let i = 0;
  for (const name of FOLDERS) {
    await mkdir(path.join(dir, name));
    const when = new Date(start + day * 3 * i++);
    await utimes(path.join(dir, name), when, when);
  }
  for (const [name, size] of FILES) {
    const file = path.join(dir, name);
    await writeFile(file, '');
    await truncate(file, size); // sparse: the size shows, nothing is written
    const when = new Date(start + day * 3 * i++ + 7_380_000 * i);
    await utimes(file, when, when);
  }
}

const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-screenshots-'));
const profile = await mkdtemp(path.join(tmpdir(), 'wirehttp-chromium-'));
await populate(dir);
const server = await startCli(['--directory', dir, '--quiet']);
const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
try {
  const page = context.pages()[0] ?? (await context.newPage());
  await mkdir(DOCS, { recursive: true });
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [device, viewport] of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await page.goto(`http://localhost:${server.port}/files/`);
      await page.waitForSelector('#entries tr[data-pos]');
      await page.hover('tr[data-name="meeting notes.md"] td.name');
      const file = path.join(DOCS, `listing-${device}-${scheme}.png`);
      await page.screenshot({ path: file });
      console.log(path.relative(process.cwd(), file));
    }
  }
} finally {
  await context.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
  await rm(profile, { recursive: true, force: true });
}
