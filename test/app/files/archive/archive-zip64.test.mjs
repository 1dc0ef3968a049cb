// A member over 4 GiB (a sparse file): zip64 sizes that unzip -t accepts, tar that lists it, flat memory.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { archiveStream } from '../../../../dist/app/files/archive/archive.js';
import { walkTree } from '../../../../dist/app/files/archive/walk.js';
import { makeSampleTree, pythonZipList, run, writeSparse } from './archive-helpers.mjs';

const BIG = 4 * 1024 ** 3 + 12_345;
const sample = makeSampleTree({ sparseBytes: BIG });
const out = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-zip64-'));
after(() => {
  for (const dir of [sample.root, sample.outside, out]) rmSync(dir, { recursive: true, force: true });
});

function walk() {
  return walkTree({
    start: sample.folder,
    include: (segments) => !segments.some((segment) => segment.startsWith('.')),
    follows: (real) => real.startsWith(sample.root + path.sep),
  });
}

/** Streams while sampling this process's RSS; resolves the largest sample in bytes. */
async function peakRssWhile(work) {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return peak;
}

test('zip64 member over 4 GiB: unzip -t passes, sizes right, RSS stays under 200 MB', async () => {
  const file = path.join(out, 'big.zip');
  const peak = await peakRssWhile(() => writeSparse(archiveStream('zip', walk()), file));
  assert.ok(peak < 200 * 1024 * 1024, `peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB`);
  assert.match(run('unzip', ['-tq', file]), /No errors detected/);
  const big = pythonZipList(file).find((entry) => entry.name === 'sparse.img');
  assert.equal(big.size, BIG);
});

test('tar with a member over 4 GiB: tar -tvf lists it with its size', async () => {
  const file = path.join(out, 'big.tar');
  const peak = await peakRssWhile(() => writeSparse(archiveStream('tar', walk()), file));
  assert.ok(peak < 200 * 1024 * 1024, `peak RSS ${(peak / 1024 ** 2).toFixed(0)} MB`);
  const line = run('tar', ['-tvf', file]).split('\n').find((l) => l.endsWith(' sparse.img'));
  assert.ok(line?.includes(` ${BIG} `), line);
});
