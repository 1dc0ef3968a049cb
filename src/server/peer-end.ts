import type { Socket } from 'node:net';
import { ProtocolError } from '../protocol/index.js';
import { Lifetime, Writing, type ExchangeState, type Next } from './exchange-state.js';
import type { Request } from './request.js';

/** What the peer's end of sending needs of a connection (connection.ts). */
export interface PeerEndTarget {
  readonly state: ExchangeState;
  readonly req: Request | null;
  readonly socket: Socket;
  readonly pumping: boolean;
  readonly idle: boolean;
  pump(): void;
  after(next: Next): void;
  endConnection(): void;
}

/** The socket's 'end': the peer sends no more; what it already sent is still served. */
export function onPeerEnd(connection: PeerEndTarget): void {
  const state = connection.state;
  state.peerEnded = true;
  // The client stopped sending while its answer is still being made: as node:http does,
  // tell the request (a fetch handler's signal aborts); the response is still delivered.
  if (connection.req !== null && state.writing === Writing.Streaming && !state.bodyPending) connection.req.peerEnded();
  if (state.lifetime === Lifetime.Ending) {
    connection.socket.destroy();
    return;
  }
  if (!connection.pumping) connection.pump();
  if (connection.idle) connection.endConnection();
}

/** The peer finished sending while the parser needs more: a truncated request. */
export function onPeerEndWhileWaiting(connection: PeerEndTarget): void {
  const state = connection.state;
  if (connection.req !== null && state.bodyPending) {
    connection.req.abortBody(new ProtocolError(400, 'Client closed the connection before the body was complete'));
    state.closeAfterResponse();
    connection.after(state.endBody());
  } else if (state.writing !== Writing.Streaming) {
    connection.endConnection();
  }
}
