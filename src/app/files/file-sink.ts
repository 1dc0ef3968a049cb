import type { FileHandle } from 'node:fs/promises';
import { finished, type Readable } from 'node:stream';

/**
 * Bytes gathered before each write, and the most a batch waiting behind the one being written
 * may hold: an upload holds at most twice this in memory. A 1 MiB body takes two writes, each
 * one thread-pool round trip.
 */
const BATCH_BYTES = 512 * 1024;

/**
 * Pieces at least this long are written where they lie (the body's pieces stay valid for as
 * long as they are kept): no copy. Smaller ones are copied into a stage buffer, so a body
 * that reaches us as many tiny pieces (1-byte chunks arriving one TCP segment at a time)
 * still leaves in a few large writes, not one iovec per piece: queueing each piece for writev
 * took over 120 s for 2 MiB in 1-byte pieces (test/app/files/atomic-write.test.mjs), quadratic
 * in the size.
 */
const COPY_BELOW = 4 * 1024;

/** Size of a stage buffer for small pieces; a new one is taken when it is full. */
const STAGE_BYTES = 64 * 1024;

/**
 * The first pieces of a batch are kept where they lie whatever their size: a body in 64 KiB
 * chunks brings a short piece with most reads (the end of a chunk that began in the read
 * before), and copying those few took a fresh 64 KiB stage buffer per upload, 25 % more buffer
 * memory to collect for a 256 KiB body. Past this count small pieces are copied, which bounds
 * the iovecs of a write and what short pieces can hold of the buffers they are cut from.
 */
const KEPT_SMALL_PIECES = 16;

/** The body stream failed (client gone, timed out, bad framing): nothing was wrong with the file. */
export class BodyIncomplete extends Error {
  constructor(readonly reason: unknown) {
    super('Request body incomplete');
    this.name = 'BodyIncomplete';
  }
}

/**
 * Copies `source` to the end of `handle` in batches of about BATCH_BYTES, each one writev: one
 * batch is written while the next fills, and reading pauses only when the next one is full
 * too. Rejects with BodyIncomplete when the body fails, with the filesystem's error when a
 * write fails (the body is then left unread: the connection decides whether to drain or close).
 *
 * Written where they lie, the pieces of a 1 MiB upload cost no copy (the 256 KiB copies this
 * replaced were 1.9 % of a CPU profile under upload load), and two writes instead of four.
 */
export function copyToFile(source: Readable, handle: FileHandle): Promise<void> {
  return new Promise((resolve, reject) => {
    new FileSink(source, handle, resolve, reject).start();
  });
}

/**
 * One upload's copy. A class rather than closures made per upload: V8 keeps the optimized code
 * of a closure only weakly, so each full collection threw away that of the last upload's
 * closures and the next uploads paid TurboFan again (`--trace-opt`: the same closures optimized
 * 11 times in 3,000 uploads of 256 KiB), code allocation that in turn hastened the next full
 * collection. Methods keep their code for good. With the small pieces kept (KEPT_SMALL_PIECES),
 * 3,000 uploads of 256 KiB in 64 KiB chunks, one after another on one connection, cost the
 * server about 960 µs of CPU each instead of 1,100, and 61-64 full collections instead of
 * 71-80 (`--trace-gc`, CPU from /proc, server pinned to one core, a loaded machine).
 */
class FileSink {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  /** Where small pieces are copied; `stageFrom` is the start of the part not yet in `batch`. */
  private stage: Buffer | null = null;
  private stageFrom = 0;
  private stageTo = 0;
  private writing = false;
  /** A piece that arrived while a batch was being written and the next one was full; reading is paused. */
  private held: Buffer | null = null;
  private ended = false;
  private settled = false;
  private stopWatching: (() => void) | null = null;
  private readonly onData = this.append.bind(this);
  private readonly onWritten = this.written.bind(this);
  private readonly onWriteFailed = this.fail.bind(this);

  constructor(
    private readonly source: Readable,
    private readonly handle: FileHandle,
    private readonly resolve: () => void,
    private readonly reject: (error: Error) => void,
  ) {}

  start(): void {
    // finished() also reports a body that failed before we got to it (the client left early).
    this.stopWatching = finished(this.source, { writable: false }, this.sourceFinished.bind(this));
    this.source.on('data', this.onData);
  }

  private sourceFinished(error?: Error | null): void {
    if (error === undefined || error === null) {
      this.ended = true;
      this.drainAndFinish();
    } else {
      this.fail(new BodyIncomplete(error));
    }
  }

  private detach(): void {
    this.source.off('data', this.onData);
    this.stopWatching?.();
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.detach();
    this.reject(error);
  }

  private finish(): void {
    if (this.settled) return;
    this.settled = true;
    this.detach();
    this.resolve();
  }

  /** Moves what the stage holds beyond the batch into the batch. */
  private takeStaged(): void {
    const stage = this.stage;
    if (stage === null || this.stageTo === this.stageFrom) return;
    this.batch.push(stage.subarray(this.stageFrom, this.stageTo));
    this.stageFrom = this.stageTo;
  }

  /** Takes `chunk` in; false when it had to be held and reading paused. */
  private append(chunk: Buffer): boolean {
    if (this.writing && this.batchBytes >= BATCH_BYTES) {
      this.held = chunk;
      this.source.pause();
      return false;
    }
    if (chunk.length >= COPY_BELOW || this.batch.length < KEPT_SMALL_PIECES) {
      this.takeStaged();
      this.batch.push(chunk);
    } else {
      if (this.stage === null || STAGE_BYTES - this.stageTo < chunk.length) {
        this.takeStaged();
        this.stage = Buffer.allocUnsafe(STAGE_BYTES);
        this.stageFrom = this.stageTo = 0;
      }
      this.stageTo += chunk.copy(this.stage, this.stageTo);
    }
    this.batchBytes += chunk.length;
    if (!this.writing && this.batchBytes >= BATCH_BYTES) this.flush();
    return true;
  }

  private flush(): void {
    this.takeStaged();
    const pieces = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    this.writing = true;
    writeFully(this.handle, pieces).then(this.onWritten, this.onWriteFailed);
  }

  private written(): void {
    this.writing = false;
    if (this.settled) return;
    const held = this.held;
    if (held !== null) {
      this.held = null;
      if (this.append(held)) this.source.resume();
      return;
    }
    if (this.ended) this.drainAndFinish();
  }

  /** At the end of the body: write what is gathered once the batch in flight is done. */
  private drainAndFinish(): void {
    if (this.writing || this.held !== null) return; // written() calls back here
    if (this.batchBytes === 0) this.finish();
    else this.flush();
  }
}

/** Writes every byte of `pieces`; a short write (rare on regular files, but possible) continues where it stopped. */
async function writeFully(handle: FileHandle, pieces: Buffer[]): Promise<void> {
  let rest = pieces;
  while (rest.length > 0) {
    let written = (await handle.writev(rest)).bytesWritten;
    if (written === 0) throw new Error('The file took no bytes');
    let done = 0;
    for (const piece of rest) {
      if (written < piece.length) break;
      written -= piece.length;
      done++;
    }
    const partial = rest[done];
    rest = partial === undefined ? [] : [partial.subarray(written), ...rest.slice(done + 1)];
  }
}
