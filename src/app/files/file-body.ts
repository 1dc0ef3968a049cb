import { read } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import type { Response } from '../../index.js';

/** Bytes read from the file per call; 64 KiB reads cost more per byte (more thread-pool round trips). */
export const READ_CHUNK = 256 * 1024;

/**
 * Read buffers that the socket has finished with, kept for the next chunk or response. A
 * buffer comes back through the write's callback, so it is reused only once its bytes are
 * in the kernel. A fresh buffer per chunk (what a file read stream allocates) made every
 * 16 MiB response allocate 64 external buffers: the heap grew and shrank (1,000 minor page
 * faults per response, 36 now) and full collections ran to free them, so that
 * `bench/instructions-io.mjs --scenario file-16m --server cli --requests 10` swung between
 * -20M and +31M instructions per response with the collections falling in or out of the
 * counted requests; now none runs there, and a response counts 2.0M. Server CPU (user +
 * system, from /proc over 100 downloads on one connection, a loaded machine): 24 ms -> 9 ms
 * per 16 MiB response; node:http's read stream piped into the response took 18 ms.
 * At most SPARE_LIMIT are kept (1 MiB) once the downloads that used them are over.
 */
const spare: Buffer[] = [];
const SPARE_LIMIT = 4;

function takeBuffer(): Buffer {
  return spare.pop() ?? Buffer.allocUnsafeSlow(READ_CHUNK);
}

function giveBack(buffer: Buffer): void {
  if (spare.length < SPARE_LIMIT) spare.push(buffer);
}

/** What one read produced: never a rejection, since the next read runs while this chunk is sent. */
interface Chunk {
  buffer: Buffer;
  bytesRead: number;
  error: Error | null;
}

/** Reads up to READ_CHUNK bytes at `position`, no further than `end`, with the callback API (no FileHandle promise per read). */
function readChunk(fd: number, position: number, end: number): Promise<Chunk> {
  const buffer = takeBuffer();
  return new Promise((resolve) => {
    read(fd, buffer, 0, Math.min(READ_CHUNK, end + 1 - position), position, (error, bytesRead) => {
      resolve({ buffer, bytesRead, error });
    });
  });
}

/**
 * Writes bytes `start`..`end` (inclusive) of an open file to `res`, with backpressure, and
 * leaves the response open (the caller ends it, or adds more parts). The next chunk is read
 * while the socket sends this one. Returns early when the response was closed or given up,
 * or when the file ended first (the response is then shorter than its Content-Length, which
 * `end()` reports by cutting the connection); no read is in flight when it settles, so the
 * caller may close the file. Throws a read error.
 */
export async function writeFileRange(res: Response, handle: FileHandle, start: number, end: number): Promise<void> {
  const fd = handle.fd;
  let position = start;
  let reading: Promise<Chunk> | null = position <= end ? readChunk(fd, position, end) : null;
  while (reading !== null) {
    const { buffer, bytesRead, error } = await reading;
    if (error !== null) throw error;
    if (bytesRead === 0 || res.closed || res.finished) {
      giveBack(buffer);
      return;
    }
    position += bytesRead;
    reading = position <= end ? readChunk(fd, position, end) : null;
    const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    if (!res.write(chunk, () => giveBack(buffer))) await res.drain();
  }
}
