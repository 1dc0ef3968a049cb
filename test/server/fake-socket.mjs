// A stand-in for net.Socket with just what Connection uses: it records what is written and
// whether reading is paused, and lets a test push bytes, end the input or refuse writes.
import { EventEmitter } from 'node:events';
import { Connection } from '../../dist/server/connection.js';
import { CoarseClock } from '../../dist/server/clock.js';
import { DEFAULT_SERVER_OPTIONS } from '../../dist/server/config.js';

export class FakeSocket extends EventEmitter {
  remoteAddress = '192.0.2.1';
  written = [];
  writableHighWaterMark = 16 * 1024;
  writableNeedDrain = false;
  writableLength = 0;
  paused = false;
  pauseCount = 0;
  ended = false;
  destroyed = false;

  setNoDelay() {}
  cork() {}
  uncork() {}
  write(data, encoding) {
    this.written.push(typeof data === 'string' ? Buffer.from(data, encoding ?? 'utf8') : Buffer.from(data));
    return !this.writableNeedDrain;
  }
  pause() {
    if (!this.paused) this.pauseCount++;
    this.paused = true;
    return this;
  }
  resume() {
    this.paused = false;
    return this;
  }
  isPaused() {
    return this.paused;
  }
  end() {
    this.ended = true;
  }
  destroy() {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('close');
  }
  /** Bytes from the client. */
  send(text) {
    this.emit('data', Buffer.from(text, 'latin1'));
  }
  /** Everything written so far, as latin-1 text. */
  get output() {
    return Buffer.concat(this.written).toString('latin1');
  }
  /** Status codes of the responses written so far, in order. */
  get statuses() {
    return [...this.output.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
  }
}

/** A Connection on a FakeSocket; `options` override the server defaults. */
export function connect(handler, options = {}) {
  const socket = new FakeSocket();
  const closed = [];
  const context = {
    options: { ...DEFAULT_SERVER_OPTIONS, onError: () => {}, ...options },
    handler,
    clock: new CoarseClock(10),
    spareParsers: [],
    closed: (connection) => closed.push(connection),
  };
  const connection = new Connection(socket, context);
  return { socket, connection, closed };
}

/** Lets queued promise callbacks and nextTick work run. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}
