// FileCache's coded bodies, without a server: one compression per entry and coding, kept only
// while the entry is, and counted in the cache's total.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { cachedFile, FileCache } from '../../../dist/app/files/file-cache.js';

const facts = (size) => ({ type: 'text/plain; charset=utf-8', size, etag: `"${size}"`, mtimeMs: 0, lastModified: 'Thu, 01 Jan 1970 00:00:00 GMT' });
const entryOf = (body) => cachedFile(facts(body.length), body, 1, 0);

test('requests that ask while a body is being compressed share the one compression', async () => {
  const cache = new FileCache({ maxFileBytes: 1 << 20, maxTotalBytes: 1 << 20, freshMs: 1000 });
  const entry = entryOf(Buffer.from('shared '.repeat(500)));
  cache.remember('a.txt', entry, cache.generation);
  const first = cache.codedBody('a.txt', entry, 'gzip');
  assert.equal(cache.codedBody('a.txt', entry, 'gzip'), first);
  const body = await first;
  assert.deepEqual(gunzipSync(body), entry.body);
  assert.equal(cache.codedBody('a.txt', entry, 'gzip'), body, 'kept as bytes once done');
});

test('an entry cleared by a write while its body is compressed keeps nothing', async () => {
  const cache = new FileCache({ maxFileBytes: 1 << 20, maxTotalBytes: 1 << 20, freshMs: 1000 });
  const entry = entryOf(Buffer.from('old version '.repeat(500)));
  cache.remember('a.txt', entry, cache.generation);
  const job = cache.codedBody('a.txt', entry, 'gzip');
  cache.clear();
  const replacement = entryOf(Buffer.from('new version '.repeat(500)));
  cache.remember('a.txt', replacement, cache.generation);
  assert.deepEqual(gunzipSync(await job), entry.body, 'the request that asked still gets its bytes');
  assert.equal(entry.coded.size, 0);
  assert.equal(replacement.coded.size, 0);
});

test('coded bodies count in the total: going over it evicts the least recently used entry with its bodies', async () => {
  // Random bytes do not compress: each gzip body is a little larger than its 3000-byte file.
  const cache = new FileCache({ maxFileBytes: 4000, maxTotalBytes: 9100, freshMs: 1000 });
  const now = 0;
  const a = entryOf(randomBytes(3000));
  const b = entryOf(randomBytes(3000));
  cache.remember('a', a, cache.generation);
  cache.remember('b', b, cache.generation);
  await cache.codedBody('a', a, 'gzip');
  assert.equal(cache.fresh('a', now), a);
  assert.equal(cache.fresh('b', now), b, 'two files and one coded body fit in 9100 bytes');
  await cache.codedBody('b', b, 'gzip');
  assert.equal(cache.fresh('a', now), undefined, 'the oldest went, its coded body with it');
  assert.equal(cache.fresh('b', now), b);
  // Had a's coded bytes stayed counted, b would not fit beside a new entry of 3000 bytes.
  cache.remember('c', entryOf(randomBytes(2900)), cache.generation);
  assert.equal(cache.fresh('b', now), b);
});
