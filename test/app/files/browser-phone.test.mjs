// The listing page at phone width (375 px) in headless Chromium: long names wrap onto up to
// three lines instead of being cut short by the row buttons, rows stay one height so the
// rows in view are still the right ones, and the desktop layout keeps one line per row.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startCli } from '../../helpers.mjs';
import { launch } from './chromium.mjs';

const LONG_FILE = 'Quarterly financial report 2026 final.pdf';
const LONG_FOLDER = 'A folder with a rather long descriptive name';
const UNBROKEN = 'IMG_20260314_101530_panorama_stitched.jpg';
const MANY = 150;

let dir;
let server;
let base;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-phone-'));
  await mkdir(path.join(dir, LONG_FOLDER));
  await writeFile(path.join(dir, LONG_FILE), 'x'.repeat(3000));
  await writeFile(path.join(dir, UNBROKEN), 'jpeg');
  for (let i = 0; i < MANY; i++) await writeFile(path.join(dir, `z-${String(i).padStart(3, '0')}.txt`), 'z');
  server = await startCli(['--directory', dir, '--quiet']);
  base = `http://127.0.0.1:${server.port}/files/`;
});
after(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

/** How the row of `name` is laid out: its height, its name's lines, and whether the name is clipped or runs into the size beside it. */
function rowLayout(page, name) {
  return page.evaluate((wanted) => {
    const tr = [...document.querySelectorAll('#entries tr[data-pos]')].find((row) => row.dataset.name === wanted);
    const span = tr.querySelector('td.name a span');
    const text = span.getBoundingClientRect();
    const next = tr.querySelector('td.num').getBoundingClientRect();
    return {
      height: tr.getBoundingClientRect().height,
      lines: Math.round(text.height / parseFloat(getComputedStyle(span).lineHeight)),
      clipped: span.scrollWidth > span.clientWidth || span.scrollHeight > span.clientHeight,
      overlaps: text.right > next.left,
      shown: span.textContent,
    };
  }, name);
}

test('at 375 px long names wrap and show whole, clear of the row buttons', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t, { viewport: { width: 375, height: 700 } });
  if (browser === null) return;
  const { page } = browser;
  try {
    await page.goto(base);
    await page.waitForSelector('#entries tr[data-pos]');
    for (const name of [`${LONG_FOLDER}/`, LONG_FILE, UNBROKEN]) {
      const row = await rowLayout(page, name.replace(/\/$/, ''));
      assert.equal(row.shown, name);
      assert.equal(row.clipped, false, `${name}: ${JSON.stringify(row)}`);
      assert.equal(row.overlaps, false, `${name}: ${JSON.stringify(row)}`);
      assert.ok(row.lines >= 2, `${name} wraps: ${JSON.stringify(row)}`);
      assert.equal(row.height, 64, `${name}: every row has the phone height`);
    }
    const short = await rowLayout(page, 'z-000.txt');
    assert.deepEqual([short.height, short.lines, short.clipped], [64, 1, false]);
  } finally {
    await browser.close();
  }
});

test('the rows in view follow the row height, at phone width and after resizing to desktop', { timeout: 60_000 }, async (t) => {
  const browser = await launch(t, { viewport: { width: 375, height: 700 } });
  if (browser === null) return;
  const { page } = browser;
  const lastInView = async () => {
    // The list renders only the rows in view, again on every scroll and resize: between two
    // renders there may be no row for a moment.
    for (let tries = 0; ; tries++) {
      const seen = await page.evaluate(() => {
        const last = [...document.querySelectorAll('#entries tr[data-pos]')].at(-1);
        if (last === undefined) return null;
        const box = last.getBoundingClientRect();
        return { name: last.dataset.name, inView: box.top >= 0 && box.bottom <= innerHeight, height: box.height };
      });
      if (seen !== null || tries === 50) return seen;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  try {
    await page.goto(base);
    await page.waitForSelector('#entries tr[data-pos]');
    await page.evaluate(() => scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => [...document.querySelectorAll('#entries tr[data-pos]')].at(-1)?.dataset.name === 'z-149.txt');
    assert.deepEqual(await lastInView(), { name: 'z-149.txt', inView: true, height: 64 });

    await page.setViewportSize({ width: 1100, height: 700 });
    await page.evaluate(() => scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => [...document.querySelectorAll('#entries tr[data-pos]')].at(-1)?.getBoundingClientRect().height === 45);
    assert.deepEqual(await lastInView(), { name: 'z-149.txt', inView: true, height: 45 });
    // On a desktop the long names keep to one line, whole.
    await page.evaluate(() => scrollTo(0, 0));
    await page.waitForSelector(`#entries tr[data-name="${LONG_FILE}"]`);
    const row = await rowLayout(page, LONG_FILE);
    assert.deepEqual([row.height, row.lines, row.clipped], [45, 1, false]);
  } finally {
    await browser.close();
  }
});
