// Reading a folder for its listing: what is shown, what each entry says, and the order.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { readListing } from '../../../dist/app/files/listing-read.js';

let root;
before(async () => {
  root = await realpath(await mkdtemp(path.join(tmpdir(), 'wirehttp-listing-read-')));
});
after(() => rm(root, { recursive: true, force: true }));

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
/** The order the listing promises, written the slow, obvious way. */
const reference = (a, b) => (a.type !== b.type ? (a.type === 'directory' ? -1 : 1) : collator.compare(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

test('folders first, then names as the numeric, case-blind collator orders them', async () => {
  const dir = path.join(root, 'order');
  await mkdir(dir);
  const files = ['file10.txt', 'file9.txt', 'File9.txt', 'file09.txt', 'b', 'B', 'á', 'a', 'z', 'x1234567890123456789', 'x999', '10', '9', 'é2', 'e10', '_x', 'a b', 'ab'];
  const folders = ['Zeta', 'alpha', 'dir2', 'dir10'];
  for (const name of files) await writeFile(path.join(dir, name), '');
  for (const name of folders) await mkdir(path.join(dir, name));
  const names = (await readListing(dir, root, false)).map((entry) => `${entry.type[0]}:${entry.name}`);
  const expected = [...files.map((name) => ({ name, type: 'file' })), ...folders.map((name) => ({ name, type: 'directory' }))]
    .sort(reference)
    .map((entry) => `${entry.type[0]}:${entry.name}`);
  assert.deepEqual(names, expected);
  assert.deepEqual(names.slice(0, 4), ['d:alpha', 'd:dir2', 'd:dir10', 'd:Zeta']);
});

test('2,000 random names come out in exactly the collator order', async () => {
  const dir = path.join(root, 'random');
  await mkdir(dir);
  let seed = 7;
  const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647; // Park–Miller: exact in doubles
  const alphabet = ['a', 'B', 'c', '0', '1', '9', '-', ' ', 'é', 'Z', '00', '10'];
  const names = new Set();
  while (names.size < 2000) {
    let name = '';
    for (let i = 0, n = 1 + Math.floor(random() * 8); i < n; i++) name += alphabet[Math.floor(random() * alphabet.length)];
    if (name.trim() === name && name !== '') names.add(name);
  }
  await Promise.all([...names].map((name, i) => (i % 10 === 0 ? mkdir(path.join(dir, name)) : writeFile(path.join(dir, name), ''))));
  const entries = await readListing(dir, root, false);
  assert.equal(entries.length, 2000);
  assert.deepEqual(entries.map((entry) => entry.name), [...entries].sort(reference).map((entry) => entry.name));
});

test('each entry: its type, size (null for folders) and modification time in whole milliseconds', async () => {
  const dir = path.join(root, 'fields');
  await mkdir(path.join(dir, 'sub'), { recursive: true });
  await writeFile(path.join(dir, 'five.txt'), '12345');
  await utimes(path.join(dir, 'five.txt'), 1_700_000_000.1234, 1_700_000_000.1236);
  const entries = await readListing(dir, root, false);
  const info = await stat(path.join(dir, 'sub'));
  assert.deepEqual(entries, [
    { name: 'sub', type: 'directory', size: null, mtimeMs: info.mtime.getTime() },
    { name: 'five.txt', type: 'file', size: 5, mtimeMs: (await stat(path.join(dir, 'five.txt'))).mtime.getTime() },
  ]);
  assert.equal(entries[1].mtimeMs, 1_700_000_000_124);
});

test('links only when they lead to something served inside the root; dot-files only with hidden', async () => {
  const dir = path.join(root, 'links');
  await mkdir(path.join(dir, '.dotdir'), { recursive: true });
  await writeFile(path.join(dir, 'real.txt'), 'r');
  await writeFile(path.join(dir, '.dot'), 'd');
  await writeFile(path.join(dir, '.dotdir', 'inside.txt'), 'i');
  await symlink('real.txt', path.join(dir, 'inside-link'));
  await symlink(tmpdir(), path.join(dir, 'outside-link'));
  await symlink('missing', path.join(dir, 'dangling'));
  await symlink('.dotdir/inside.txt', path.join(dir, 'to-hidden'));
  const names = async (hidden) => (await readListing(dir, root, hidden)).map((entry) => entry.name);
  assert.deepEqual(await names(false), ['inside-link', 'real.txt']);
  assert.deepEqual(await names(true), ['.dotdir', '.dot', 'inside-link', 'real.txt', 'to-hidden']);
});
