// Loading wirehttp leaves Node's CA store unbuilt: an ESM import of node:tls would read its
// `rootCertificates` getter and keep every PEM certificate on the heap.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const DIST = path.resolve(import.meta.dirname, '../../dist');

/** PEM certificates on the heap of a fresh process after it imports `specifier`. */
async function certificatesOnHeapAfter(specifier) {
  const dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-heap-'));
  try {
    const program = `
      import v8 from 'node:v8';
      import { readFileSync } from 'node:fs';
      await import(${JSON.stringify(specifier)});
      const text = readFileSync(v8.writeHeapSnapshot(${JSON.stringify(path.join(dir, 'after.heapsnapshot'))}), 'utf8');
      // The marker is split so that this program's own source does not count.
      console.log(text.split('-----BEGIN ' + 'CERTIFICATE-----').length - 1);
    `;
    return Number(execFileSync(process.execPath, ['--input-type=module', '-e', program], { encoding: 'utf8' }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('an ESM import of node:tls puts the CA store on the heap (what the check detects)', async () => {
  assert.ok((await certificatesOnHeapAfter('node:tls')) > 100);
});

test('importing the library or the command builds no CA store', async () => {
  assert.equal(await certificatesOnHeapAfter(pathToFileURL(path.join(DIST, 'index.js')).href), 0);
  assert.equal(await certificatesOnHeapAfter(pathToFileURL(path.join(DIST, 'cli', 'serve.js')).href), 0);
});
