import type { Socket } from 'node:net';
import type { Output } from './output.js';
import { unlisten } from './socket-events.js';
import { releaseFlow } from './socket-internals.js';

/**
 * Detaches a connection's socket for an upgrade listener: responses to earlier requests go
 * out, every listener of ours goes (the connection has already dropped its deadline), and
 * the socket is left as a fresh one would be, for the server to hand over with the bytes
 * read past the head (see UpgradedSockets), as node:http does.
 */
export function detach(socket: Socket, output: Output): void {
  output.flushBatch(false);
  unlisten(socket);
  releaseFlow(socket);
}
