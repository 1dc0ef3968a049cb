// Storing an upload: the cost per byte does not depend on how small the body's pieces are, memory
// stays flat, the file appears whole or not at all, and a cut-off upload can be discarded.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { discardUploadsInFlight, writeFileAtomic } from '../../../dist/app/files/atomic-write.js';

const MIB = 1024 * 1024;

let dir;
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wirehttp-atomic-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A body of `total` bytes delivered as `size`-byte Buffers, as a parser hands over small chunks one feed at a time. */
function pieces(total, size) {
  let sent = 0;
  return new Readable({
    read() {
      for (let n = 0; n < 4096 && sent < total; n++, sent += size) {
        const length = Math.min(size, total - sent);
        this.push(Buffer.alloc(length, 0x61 + ((sent / size) % 26)));
      }
      if (sent >= total) this.push(null);
    },
  });
}

test('2 MiB in 1-byte pieces is stored whole, at a CPU cost per MiB like that of large pieces, heap flat', { timeout: 120_000 }, async (t) => {
  const total = 2 * MIB;
  const target = path.join(dir, 'tiny.bin');
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const cpuBefore = process.cpuUsage();
  await writeFileAtomic(target, pieces(total, 1));
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const seconds = (cpu.user + cpu.system) / 1e6;
  t.diagnostic(`${(seconds / 2).toFixed(3)} s CPU per MiB (source included), heap growth ${((heapPeak - heapBefore) / MIB).toFixed(1)} MiB`);

  const stored = await readFile(target);
  assert.equal(stored.length, total);
  for (let i = 0; i < total; i += 997) assert.equal(stored[i], 0x61 + (i % 26), `byte ${i}`);
  // Queueing every piece for writev cost ~8 s per MiB and grew quadratically; the copy costs
  // about what producing the pieces does (~0.2 s per MiB here).
  assert.ok(seconds < 3, `${seconds.toFixed(2)} s of CPU for 2 MiB of 1-byte pieces`);
  assert.ok(heapPeak - heapBefore < 64 * MIB, `heap grew by ${((heapPeak - heapBefore) / MIB).toFixed(1)} MiB`);
  assert.deepEqual(await readdir(dir), ['tiny.bin']);
});

test('pieces of every size, and the boundaries of the staging buffer, arrive in order', async () => {
  for (const size of [1, 7, 4096, 65536, 256 * 1024, 256 * 1024 + 1, 3 * MIB]) {
    const total = 3 * MIB + 5;
    const target = path.join(dir, `size-${size}.bin`);
    await writeFileAtomic(target, pieces(total, size));
    const stored = await readFile(target);
    assert.equal(stored.length, total, `size ${size}`);
    for (let i = 0; i < total; i += 4093) assert.equal(stored[i], 0x61 + (Math.floor(i / size) % 26), `size ${size}, byte ${i}`);
  }
});

test('small pieces (copied) between large ones (written where they lie) keep their order; the stats are the stored file\'s', async () => {
  // Sizes around the copy threshold and the stage buffer's size, in a repeating mix.
  const sizes = [1, 4095, 4096, 3, 70_000, 4097, 1000, 65_536, 2, 500_000, 60_000, 5];
  const parts = [];
  let total = 0;
  for (let i = 0; total < 3 * MIB; i++) {
    const size = sizes[i % sizes.length];
    parts.push(Buffer.alloc(size, 0x61 + (i % 26)));
    total += size;
  }
  const target = path.join(dir, 'mixed.bin');
  const stats = await writeFileAtomic(target, Readable.from(parts));
  const stored = await readFile(target);
  assert.ok(stored.equals(Buffer.concat(parts)), 'stored bytes differ from the pieces sent');
  const onDisk = await stat(target);
  assert.deepEqual([stats.ino, stats.size, stats.mtimeMs], [onDisk.ino, onDisk.size, onDisk.mtimeMs]);
});

test('a body that fails leaves no file; discarding the uploads in flight removes their temporary files', async () => {
  const failing = new Readable({ read() {} });
  const failed = writeFileAtomic(path.join(dir, 'failed.bin'), failing);
  failing.push(Buffer.alloc(1000));
  setTimeout(() => failing.destroy(new Error('client gone')), 50);
  await assert.rejects(failed, { name: 'BodyIncomplete' });
  assert.ok(!(await readdir(dir)).some((name) => name.startsWith('failed') || name.startsWith('.wirehttp-upload-')));

  const endless = new Readable({ read() {} });
  const pending = writeFileAtomic(path.join(dir, 'endless.bin'), endless);
  pending.catch(() => {});
  endless.push(Buffer.alloc(1000));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal((await readdir(dir)).filter((name) => name.startsWith('.wirehttp-upload-')).length, 1);
  discardUploadsInFlight();
  assert.equal((await readdir(dir)).filter((name) => name.startsWith('.wirehttp-upload-')).length, 0);
  endless.destroy(new Error('cut off'));
  await assert.rejects(pending);
});
