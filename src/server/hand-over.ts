import type { Socket } from 'node:net';
import { Deadline } from './deadlines.js';
import type { Output } from './output.js';
import { unlisten } from './socket-events.js';
import { releaseFlow } from './socket-internals.js';

/**
 * Detaches a connection's socket for an upgrade listener: responses to earlier requests go
 * out, every listener and the deadline of ours go, and the socket is left as a fresh one
 * would be, for the server to hand over with the bytes read past the head (see
 * UpgradedSockets), as node:http does.
 */
export function detach(socket: Socket, output: Output, setDeadline: (kind: Deadline) => void): void {
  output.flushBatch(false);
  unlisten(socket);
  setDeadline(Deadline.None);
  releaseFlow(socket);
}
