// Streamed zip and tar of a folder, checked with unzip, zipinfo, tar and Python's zipfile.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { archiveStream } from '../../../../dist/app/files/archive/archive.js';
import { walkTree } from '../../../../dist/app/files/archive/walk.js';
import { LONG_NAME, UNICODE_FOLDER, makeSampleTree, pythonZipList, run, writeSparse } from './archive-helpers.mjs';

const sample = makeSampleTree();
const out = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-archive-out-'));
after(() => {
  for (const dir of [sample.root, sample.outside, out]) rmSync(dir, { recursive: true, force: true });
});

/** The walk as the file server uses it: no dot-files, links only inside the served root. */
function walk(start, root = sample.root) {
  return walkTree({
    start,
    include: (segments) => !segments.some((segment) => segment.startsWith('.')),
    follows: (real) => real === root || real.startsWith(root + path.sep),
  });
}

const EXPECTED = [
  'empty/',
  'hello.txt',
  ...LONG_NAME.split('/').slice(0, -1).map((_, i, all) => `${all.slice(0, i + 1).join('/')}/`),
  LONG_NAME,
  'naïve – café.bin',
  'zero-bytes',
].sort();

test('zip: unzip -t passes, UTF-8 names with the language-encoding flag, empty folder kept, bytes exact', async () => {
  const file = path.join(out, 'sample.zip');
  await writeSparse(archiveStream('zip', walk(sample.folder)), file);
  const tested = run('unzip', ['-t', file]);
  assert.match(tested, /No errors detected/);
  const entries = pythonZipList(file);
  assert.deepEqual(entries.map((e) => e.name).sort(), EXPECTED);
  for (const entry of entries) assert.equal(entry.flags & 0x800, 0x800, `${entry.name}: UTF-8 flag`);
  for (const [name, bytes] of Object.entries(sample.files)) {
    const extracted = run('unzip', ['-p', file, name], { encoding: 'buffer' });
    assert.ok(extracted.equals(bytes), `${name} byte-exact`);
  }
  // Hidden files, the escaping link and the cycle stay out.
  assert.ok(!entries.some((e) => /secret|escape|cycle/.test(e.name)));
});

test('zip: modification times survive (extended timestamp, UTC)', async () => {
  const when = new Date('2021-06-15T10:20:30Z');
  const entries = (async function* () {
    yield { kind: 'file', path: 'dated.txt', mtime: when, mode: 0o640, size: 3, open: async () => [Buffer.from('abc')] };
  })();
  const file = path.join(out, 'dated.zip');
  await writeSparse(archiveStream('zip', entries), file);
  const dest = mkdtempSync(path.join(out, 'x-'));
  run('unzip', ['-q', file, '-d', dest]);
  // unzip restores the time from the extended timestamp field (UTC), the mode from the Unix attributes.
  const { mtimeMs, mode } = statSync(path.join(dest, 'dated.txt'));
  assert.equal(mtimeMs, when.getTime());
  assert.equal(mode & 0o777, 0o640);
});

test('tar: tar -tf lists every entry, long and unicode names via pax, bytes exact', async () => {
  const file = path.join(out, 'sample.tar');
  await writeSparse(archiveStream('tar', walk(sample.folder)), file);
  const listed = run('tar', ['-tf', file]).split('\n').filter(Boolean).sort();
  assert.deepEqual(listed, EXPECTED);
  const dest = mkdtempSync(path.join(out, 'tar-'));
  run('tar', ['-xf', file, '-C', dest]);
  for (const [name, bytes] of Object.entries(sample.files)) {
    assert.ok(readFileSync(path.join(dest, name)).equals(bytes), `${name} byte-exact`);
  }
});

test('a folder walked from the root keeps the unicode folder name in every path', async () => {
  const file = path.join(out, 'root.zip');
  await writeSparse(archiveStream('zip', walk(sample.root)), file);
  const names = pythonZipList(file).map((e) => e.name);
  assert.ok(names.includes(`${UNICODE_FOLDER}/`));
  assert.ok(names.includes(`${UNICODE_FOLDER}/hello.txt`));
});

test('zip64: more than 65,535 entries', async () => {
  const count = 65_540;
  const entries = (async function* () {
    const mtime = new Date();
    for (let i = 0; i < count; i++) yield { kind: 'file', path: `f${i}`, mtime, mode: 0o644, size: 1, open: async () => [Buffer.from('z')] };
  })();
  const file = path.join(out, 'many.zip');
  await writeSparse(archiveStream('zip', entries), file);
  const script = 'import sys,zipfile;z=zipfile.ZipFile(sys.argv[1]);print(len(z.infolist()));print(z.testzip())';
  assert.deepEqual(run('python3', ['-c', script, file]).trim().split('\n'), [String(count), 'None']);
  assert.match(run('unzip', ['-tq', file]), /No errors detected in compressed data/);
});

test('a file that shrinks while it is archived makes the stream throw instead of ending', async () => {
  const dir = mkdtempSync(path.join(out, 'shrink-'));
  writeFileSync(path.join(dir, 'a.bin'), Buffer.alloc(2 * 1024 * 1024, 1));
  for (const format of ['zip', 'tar']) {
    writeFileSync(path.join(dir, 'a.bin'), Buffer.alloc(2 * 1024 * 1024, 1));
    const stream = archiveStream(format, walk(dir, dir));
    let received = 0;
    await assert.rejects(async () => {
      for await (const chunk of stream) {
        if (received === 0) truncateSync(path.join(dir, 'a.bin'), 1000);
        received += chunk.length;
      }
    }, /shrank/);
  }
});
