import type { Socket } from 'node:net';
import type { RequestHead } from '../protocol/index.js';

/**
 * The request of an upgrade, shaped as node:http's IncomingMessage is where upgrade
 * listeners (`ws`'s handleUpgrade, @hono/node-ws) read it.
 */
export class UpgradeRequest {
  readonly method: string;
  /** The request-target as received ("/chat?room=1"). */
  readonly url: string;
  readonly httpVersion: '1.1';
  /** Header values by lower-case name; repeated fields are joined with ", ". */
  readonly headers: Record<string, string>;

  /** @internal Made by the server when a connection hands its socket over. */
  constructor(
    /** @internal The parsed head, for running handler wrappers on the upgrade (guardUpgrade). */
    readonly head: RequestHead,
    /** The raw socket, as `req.socket` on node:http. */
    readonly socket: Socket,
  ) {
    this.method = head.method;
    this.url = head.target;
    this.httpVersion = '1.1';
    const headers: Record<string, string> = Object.create(null) as Record<string, string>;
    const fields = head.fields;
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = fields[i] ?? '';
      const value = fields[i + 1] ?? '';
      const prior = headers[name];
      headers[name] = prior === undefined ? value : `${prior}, ${value}`;
    }
    this.headers = headers;
  }

  /** Address of the peer, as `req.socket.remoteAddress`. */
  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }
}

/** What `server.on('upgrade', listener)` is called with, as on node:http. */
export type UpgradeListener = (req: UpgradeRequest, socket: Socket, head: Buffer) => void;

/**
 * Sockets handed to upgrade listeners. They count toward `maxConnections` until they close,
 * and shutdown destroys those still open after its grace period. No listener of ours stays
 * on them, so the server's sweeper notices closed ones (`prune`) instead of a 'close' event.
 */
export class UpgradedSockets {
  private readonly sockets = new Set<Socket>();

  get count(): number {
    return this.sockets.size;
  }

  add(socket: Socket): void {
    this.sockets.add(socket);
  }

  /** Forgets sockets that have closed. */
  prune(): void {
    for (const socket of this.sockets) if (socket.destroyed) this.sockets.delete(socket);
  }

  destroyAll(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }
}
