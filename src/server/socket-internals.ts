import type { Socket } from 'node:net';

/**
 * The one place the connection layer reads Node internals. `_handle.writeQueueSize` is the
 * libuv stream's count of bytes handed to it but not yet taken by the kernel; it is not
 * public API, so it is read defensively (absent on TLS sockets and after close: 0).
 */
interface SocketHandle {
  readonly writeQueueSize?: number;
}

/**
 * Bytes written to `socket` and not yet taken by the kernel. `writableLength` only drops
 * when a whole write completes; the handle's queue shrinks as the kernel takes bytes, which
 * is what shows a slow reader of one large write at work.
 */
export function unsentBytes(socket: Socket): number {
  const handle = (socket as unknown as { _handle?: SocketHandle | null })._handle;
  return socket.writableLength + (handle?.writeQueueSize ?? 0);
}

/** Writes text whose chars are bytes (latin-1): one native call, no Buffer allocated here. */
export function writeLatin1(socket: Socket, text: string, done?: () => void): boolean {
  return socket.write(text, 'latin1', done);
}

/**
 * Leaves the socket's flow undecided (neither flowing nor paused), as node:http does before
 * it emits 'upgrade': the next owner's 'data' listener or `resume()` then starts it, even if
 * the connection had paused it. (`readableFlowing` is typed read-only but has a setter.)
 */
export function releaseFlow(socket: Socket): void {
  (socket as unknown as { readableFlowing: boolean | null }).readableFlowing = null;
}
