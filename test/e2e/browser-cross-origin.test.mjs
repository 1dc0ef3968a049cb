// A page from another origin attacks the file server in a real browser (headless Chromium):
// fetch POST/PUT/DELETE with and without mode "no-cors", and a form submission. Nothing may be
// written or deleted; the server's log shows the attempts that reached it were refused.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { startCli } from '../helpers.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The attacker's page: every way a page can try to change another origin's files. */
function attackPage(target) {
  return `<!doctype html><meta charset="utf-8"><title>attack</title>
<iframe name="sink" style="display:none"></iframe>
<form id="form" method="POST" action="${target}form.txt" enctype="text/plain" target="sink"><input name="a" value="pwned"></form>
<script>
const target = ${JSON.stringify(target)};
const tries = [
  ['POST no-cors', 'posted-no-cors.txt', { method: 'POST', mode: 'no-cors', body: 'pwned', headers: { 'Content-Type': 'text/plain' } }],
  ['POST cors', 'posted-cors.txt', { method: 'POST', body: 'pwned', headers: { 'Content-Type': 'text/plain' } }],
  ['POST folder no-cors', 'new-folder/', { method: 'POST', mode: 'no-cors' }],
  ['PUT no-cors', 'put-no-cors.txt', { method: 'PUT', mode: 'no-cors', body: 'pwned' }],
  ['PUT cors', 'put-cors.txt', { method: 'PUT', body: 'pwned' }],
  ['DELETE no-cors', 'victim.txt', { method: 'DELETE', mode: 'no-cors' }],
  ['DELETE cors', 'victim.txt', { method: 'DELETE' }],
];
window.results = Promise.all(tries.map(([label, name, init]) =>
  fetch(target + name, init).then((res) => label + ': answered ' + res.type + ' ' + res.status, (error) => label + ': ' + error.name)));
window.formSent = new Promise((resolve) => {
  document.querySelector('iframe').addEventListener('load', () => resolve('form: loaded'), { once: true });
  document.getElementById('form').submit();
});
</script>`;
}

for (const [kind, attackerHost] of [['cross-site (localhost → 127.0.0.1)', 'localhost'], ['same-site (another port)', '127.0.0.1']]) {
  test(`a ${kind} page cannot write or delete files`, { timeout: 60_000 }, async (t) => {
    if (!existsSync(CHROMIUM)) {
      t.skip(`no Chromium at ${CHROMIUM}`);
      return;
    }
    const { chromium } = await import('playwright-core');
    const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-victim-'));
    const evilDir = await mkdtemp(path.join(tmpdir(), 'wirehttp-attacker-'));
    const profile = await mkdtemp(path.join(tmpdir(), 'wirehttp-chromium-'));
    await writeFile(path.join(dir, 'victim.txt'), 'keep me\n');
    await mkdir(path.join(dir, 'sub'));
    const server = await startCli(['--directory', dir, '--log-format', 'json']);
    const target = `http://127.0.0.1:${server.port}/files/`;
    await writeFile(path.join(evilDir, 'attack.html'), attackPage(target));
    const attacker = await startCli(['--directory', evilDir, '--quiet']);
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`http://${attackerHost}:${attacker.port}/files/attack.html`);
      const results = await page.evaluate(() => window.results);
      const form = await Promise.race([page.evaluate(() => window.formSent), new Promise((resolve) => setTimeout(() => resolve('form: no load'), 5000))]);
      t.diagnostic([...results, form].join('; '));

      assert.deepEqual((await readdir(dir)).sort(), ['sub', 'victim.txt'], 'nothing written');
      assert.equal(await readFile(path.join(dir, 'victim.txt'), 'utf8'), 'keep me\n', 'nothing deleted');

      // The attempts a browser lets through reached the server and were refused there.
      const deadline = Date.now() + 3000;
      const refused = () => server.stdout().trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((entry) => entry.method !== 'GET' && entry.method !== 'OPTIONS');
      while (refused().length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const entries = refused();
      const seen = entries.map((entry) => `${entry.method} ${entry.target} ${entry.status}`);
      for (const expected of ['POST /files/posted-no-cors.txt', 'POST /files/posted-cors.txt', 'POST /files/new-folder/', 'POST /files/form.txt']) {
        assert.ok(seen.includes(`${expected} 403`), `${expected} refused: ${seen.join(', ')}`);
      }
      for (const entry of entries) assert.equal(entry.status, 403, `${entry.method} ${entry.target}`);
    } finally {
      await context.close();
      await attacker.stop();
      await server.stop();
      for (const folder of [dir, evilDir, profile]) await rm(folder, { recursive: true, force: true });
    }
  });
}
