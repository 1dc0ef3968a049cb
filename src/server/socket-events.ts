import type { Socket } from 'node:net';

/** What a connection does with its socket's events. */
export interface SocketListener {
  onData(data: Buffer): void;
  onPeerEnd(): void;
  onClose(): void;
  /** The socket drained after a write it refused (for `waitForDrain` callers). */
  onDrain(): void;
  /** The socket drained while pipelined requests waited for the client to read. */
  onOutputDrained(): void;
}

/**
 * The listener of each socket, for the shared listener functions below. A WeakMap rather
 * than a property on the socket: adding a property would give every socket its own hidden
 * class. Shared functions instead of closures per connection: idle keep-alive connections
 * can number in the thousands.
 */
const listenerOf = new WeakMap<Socket, SocketListener>();

function onData(this: Socket, data: Buffer): void {
  listenerOf.get(this)?.onData(data);
}
function onEnd(this: Socket): void {
  listenerOf.get(this)?.onPeerEnd();
}
function onDrain(this: Socket): void {
  listenerOf.get(this)?.onDrain();
}
function onOutputDrained(this: Socket): void {
  listenerOf.get(this)?.onOutputDrained();
}
function onError(this: Socket): void {
  this.destroy();
}
function onClose(this: Socket): void {
  listenerOf.get(this)?.onClose();
}

export function listen(socket: Socket, listener: SocketListener): void {
  listenerOf.set(socket, listener);
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('error', onError);
  socket.on('close', onClose);
}

/** Removes every listener `listen`, `notifyDrain` and `notifyOutputDrained` added. */
export function unlisten(socket: Socket): void {
  listenerOf.delete(socket);
  socket.off('data', onData);
  socket.off('end', onEnd);
  socket.off('error', onError);
  socket.off('close', onClose);
  socket.off('drain', onDrain);
  socket.off('drain', onOutputDrained);
}

/** Calls `onDrain` on the socket's next 'drain'. */
export function notifyDrain(socket: Socket): void {
  socket.once('drain', onDrain);
}

/** Calls `onOutputDrained` on the socket's next 'drain'. */
export function notifyOutputDrained(socket: Socket): void {
  socket.once('drain', onOutputDrained);
}
