import type { Socket } from 'node:net';
import { notifyDrain } from './socket-events.js';
import { unsentBytes, writeLatin1 } from './socket-internals.js';

/**
 * A connection's output: batches what one read produces into one socket write, and tells
 * the connection when the client is not reading its responses.
 *
 * Batching: while a read's requests are handled (`startBatch` … `flushBatch`), writes are
 * queued. Adjacent text is joined, so the usual small response (head + body as latin-1) of
 * every pipelined request leaves as a single string in one native write, instead of one
 * write per response (the `pipelined` bench scenario is the one that exercises it).
 */
export class Output {
  /** True while the responses to one read are being produced: they leave in one write. */
  private batching = false;
  /** Latin-1 text queued during a batch, after `parts`; adjacent text is joined. */
  private text = '';
  /** Created by the first Buffer of a batch: most batches are text only, and idle connections hold none. */
  private parts: (Buffer | string)[] | null = null;
  /** Bytes queued in the current batch. */
  private queued = 0;
  /** Callers of `waitForDrain`, resolved on the socket's next 'drain' (or its close). */
  private drainWaiters: (() => void)[] | null = null;
  /** Unsent output at the last progress check, to tell a slow reader from a stalled one. */
  private unsentAtCheck = 0;

  constructor(private readonly socket: Socket) {}

  startBatch(): void {
    this.batching = true;
  }

  /** Writes what the batch holds and stops batching. */
  flushBatch(closed: boolean): void {
    this.batching = false;
    this.writeQueued(closed);
  }

  /**
   * Queues or writes bytes (strings are latin-1); false when the socket asks to wait for
   * 'drain'. `done` is called once the socket no longer needs `data`.
   */
  write(data: Buffer | string, done?: () => void): boolean {
    if (this.batching && done === undefined) {
      this.queued += data.length;
      if (typeof data === 'string') {
        this.text += data;
      } else {
        const parts = (this.parts ??= []);
        if (this.text !== '') parts.push(this.text);
        this.text = '';
        parts.push(data);
      }
      // A handler that writes in a loop until told to wait must be told during a batch too,
      // or it never yields and the batch grows without bound; its wait ends once the batch
      // is flushed (the socket then says whether the client keeps up).
      return this.queued < this.socket.writableHighWaterMark;
    }
    // Bytes whose writer waits to hear they were written go to the socket now, after what
    // the batch holds: only the socket reports a write done.
    if (this.batching) this.writeQueued(false);
    return typeof data === 'string' ? writeLatin1(this.socket, data, done) : this.socket.write(data, done);
  }

  cork(): void {
    if (!this.batching) this.socket.cork();
  }

  uncork(): void {
    if (!this.batching) this.socket.uncork();
  }

  /**
   * True when the client is not reading its responses, so no further pipelined request
   * should start until the socket's 'drain': unread responses then cannot pile up here.
   */
  backlogged(closed: boolean): boolean {
    // A batch grown past the socket's buffer size goes out now; only then does the socket
    // say whether the client keeps up (a 'drain' comes only after a write it refused).
    if (this.queued >= this.socket.writableHighWaterMark) this.writeQueued(closed);
    return this.socket.writableNeedDrain;
  }

  /** Resolves on the socket's next 'drain', at once when it needs none or is closed. */
  waitForDrain(closed: boolean): Promise<void> {
    if (closed || !this.socket.writableNeedDrain) return Promise.resolve();
    if (this.drainWaiters === null) notifyDrain(this.socket);
    const waiters = (this.drainWaiters ??= []);
    return new Promise((resolve) => waiters.push(resolve));
  }

  /** Resolves everyone waiting for 'drain' (also called on close, so nobody waits forever). */
  drained(): void {
    const waiters = this.drainWaiters;
    if (waiters === null) return;
    this.drainWaiters = null;
    for (const resolve of waiters) resolve();
  }

  /** True when output written to the socket has not all been taken by the kernel yet. */
  unsent(): boolean {
    return unsentBytes(this.socket) > 0;
  }

  /** Starts a new progress check: `progressed()` next compares with what is unsent now. */
  checkpoint(): void {
    this.unsentAtCheck = unsentBytes(this.socket);
  }

  /** True when output is still waiting to be sent and has shrunk since the last check. */
  progressed(): boolean {
    const unsent = unsentBytes(this.socket);
    const progressed = unsent > 0 && unsent !== this.unsentAtCheck;
    this.unsentAtCheck = unsent;
    return progressed;
  }

  private writeQueued(closed: boolean): void {
    const text = this.text;
    const parts = this.parts;
    this.text = '';
    this.queued = 0;
    this.parts = null;
    if (closed) return;
    if (parts === null) {
      if (text !== '') writeLatin1(this.socket, text);
      return;
    }
    if (text !== '') parts.push(text);
    this.socket.cork();
    for (const part of parts) {
      if (typeof part === 'string') writeLatin1(this.socket, part);
      else this.socket.write(part);
    }
    this.socket.uncork();
  }
}
