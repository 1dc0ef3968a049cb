// Helpers for the archive tests: a sample folder, sparse output, external checkers.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const UNICODE_FOLDER = 'Ünïcödé 文件夹 🎁';
export const LONG_NAME = `${'long-segment-name/'.repeat(8)}${'x'.repeat(120)}.txt`;

/**
 * A served root with `UNICODE_FOLDER` inside: small files (one in a deep long path), an empty
 * folder, a hidden file, a link that escapes the root, a link back to an ancestor (a cycle) and,
 * when `sparseBytes` is given, a sparse file of that size. Returns { root, folder, files }.
 */
export function makeSampleTree({ sparseBytes = 0 } = {}) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-archive-'));
  const folder = path.join(root, UNICODE_FOLDER);
  mkdirSync(path.join(folder, 'empty'), { recursive: true });
  mkdirSync(path.join(folder, path.dirname(LONG_NAME)), { recursive: true });
  const files = {
    'hello.txt': Buffer.from('hello, archive\n'),
    'naïve – café.bin': Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) & 0xff)),
    'zero-bytes': Buffer.alloc(0),
    [LONG_NAME]: Buffer.from('deep\n'),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(folder, name), bytes);
  writeFileSync(path.join(folder, '.secret'), 'hidden\n');
  const outside = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-outside-'));
  writeFileSync(path.join(outside, 'leak.txt'), 'outside\n');
  symlinkSync(path.join(outside, 'leak.txt'), path.join(folder, 'escape-link'));
  symlinkSync(folder, path.join(folder, 'empty', 'cycle'));
  if (sparseBytes > 0) {
    writeFileSync(path.join(folder, 'sparse.img'), 'start');
    truncateSync(path.join(folder, 'sparse.img'), sparseBytes);
  }
  return { root, folder, outside, files };
}

/**
 * Writes a stream of buffers to `file`, seeking over all-zero chunks so that a zip of a sparse
 * file stays sparse on disk. Resolves the byte count.
 */
export async function writeSparse(chunks, file) {
  const handle = await open(file, 'w');
  let at = 0;
  try {
    for await (const chunk of chunks) {
      if (!isZero(chunk)) await handle.write(chunk, 0, chunk.length, at);
      at += chunk.length;
    }
    await handle.truncate(at);
  } finally {
    await handle.close();
  }
  return at;
}

const ZEROS = Buffer.alloc(1024 * 1024);

function isZero(chunk) {
  for (let at = 0; at < chunk.length; at += ZEROS.length) {
    const part = chunk.subarray(at, at + ZEROS.length);
    if (!part.equals(ZEROS.subarray(0, part.length))) return false;
  }
  return true;
}

/** Runs a command and returns its stdout (throws with its stderr on a non-zero exit). */
export function run(command, args, options = {}) {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

/** Reads a zip with Python's zipfile: [{ name, size, crc, date_time }] from the central directory. */
export function pythonZipList(file) {
  const script =
    'import json,sys,zipfile\n' +
    'z=zipfile.ZipFile(sys.argv[1])\n' +
    'print(json.dumps([{"name":i.filename,"size":i.file_size,"flags":i.flag_bits,"date_time":i.date_time} for i in z.infolist()]))';
  return JSON.parse(run('python3', ['-c', script, file]));
}
