import type { FileHandle } from 'node:fs/promises';
import { finished, type Readable } from 'node:stream';

/**
 * Bytes gathered before each write. A body may reach us as a stream of tiny pieces (1-byte
 * chunks arriving one TCP segment at a time); copying them into a buffer this size makes every
 * write carry 256 KiB whatever the chunking, so the cost per byte is one copy plus 1/262,144 of
 * a system call. Measured by test/app/files/atomic-write.test.mjs (2 MiB as 1-byte pieces):
 * queueing each piece for writev took over 120 s, quadratic in the size; this takes ~0.3 s per
 * MiB, most of it making the pieces.
 */
const STAGE_BYTES = 256 * 1024;

/** The body stream failed (client gone, timed out, bad framing): nothing was wrong with the file. */
export class BodyIncomplete extends Error {
  constructor(readonly reason: unknown) {
    super('Request body incomplete');
    this.name = 'BodyIncomplete';
  }
}

/**
 * Copies `source` to the end of `handle` through two reused buffers: one fills while the other
 * is written, and reading pauses only when both are full, so memory stays at 2 × 256 KiB per
 * upload. Rejects with BodyIncomplete when the body fails, with the filesystem's error when a
 * write fails (the body is then left unread: the connection decides whether to drain or close).
 */
export function copyToFile(source: Readable, handle: FileHandle): Promise<void> {
  return new Promise((resolve, reject) => {
    let stage: Buffer = Buffer.allocUnsafe(STAGE_BYTES);
    /** The other buffer; null while its bytes are being written. */
    let spare: Buffer | null = Buffer.allocUnsafe(STAGE_BYTES);
    let filled = 0;
    /** Bytes that arrived with both buffers full; reading is paused until they fit. */
    let held: Buffer | null = null;
    let ended = false;
    let settled = false;

    // finished() also reports a body that failed before we got to it (the client left early).
    const stopWatching = finished(source, { writable: false }, (error) => {
      if (error === undefined || error === null) onEnd();
      else fail(new BodyIncomplete(error));
    });
    const detach = (): void => {
      source.off('data', append);
      stopWatching();
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      detach();
      reject(error);
    };
    const finish = (): void => {
      if (settled) return;
      settled = true;
      detach();
      resolve();
    };

    /** Takes `chunk` in; false when part of it had to be held and reading paused. */
    function append(chunk: Buffer): boolean {
      let offset = 0;
      while (offset < chunk.length) {
        if (filled === STAGE_BYTES) {
          if (spare === null) {
            held = offset === 0 ? chunk : chunk.subarray(offset);
            source.pause();
            return false;
          }
          flush(spare);
        }
        const copied = chunk.copy(stage, filled, offset);
        filled += copied;
        offset += copied;
      }
      return true;
    }

    /** Writes the filled buffer while `free` takes its place. */
    function flush(free: Buffer): void {
      const full = stage;
      const length = filled;
      stage = free;
      spare = null;
      filled = 0;
      writeFully(handle, full, length).then(() => {
        if (settled) return;
        spare = full;
        if (held !== null) {
          const rest = held;
          held = null;
          if (append(rest)) source.resume();
          return;
        }
        if (ended) drainAndFinish();
      }, (error: unknown) => fail(error as Error));
    }

    /** At the end of the body: write what is staged once the buffer in flight is back. */
    function drainAndFinish(): void {
      if (spare === null || held !== null) return; // flush's completion calls back here
      if (filled === 0) return finish();
      flush(spare);
    }

    function onEnd(): void {
      ended = true;
      drainAndFinish();
    }

    source.on('data', append);
  });
}

async function writeFully(handle: FileHandle, buffer: Buffer, length: number): Promise<void> {
  let offset = 0;
  // A short write is rare on regular files, but possible: continue where it stopped.
  while (offset < length) offset += (await handle.write(buffer, offset, length - offset)).bytesWritten;
}
