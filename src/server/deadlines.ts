import { ProtocolError, serializeErrorResponse } from '../protocol/index.js';
import type { CoarseClock } from './clock.js';
import type { ServerOptions } from './config.js';
import { httpDate } from './http-date.js';

/**
 * Why a connection's deadline exists; decides what happens when it passes. A connection has
 * one deadline at a time: its kind and `deadlineAt`, a number the server's sweeper compares
 * with its coarse clock, so the request path sets no timer and reads no clock of its own.
 * Both are fields of the connection itself, not an object of their own: with thousands of
 * idle keep-alive connections, every object per connection counts. Each kind replaces the
 * one before it:
 *
 * - Headers (`headersTimeoutMs`): from a connection's start, or from the first byte after an
 *   idle period, until a head is parsed. Expiry: 408 if some of a head arrived, then close.
 *   While a pipelined request waits behind a response the client is still reading (output
 *   backlog), expiry is postponed as long as that output keeps moving: the request is
 *   waiting on us, not late.
 * - Body (`bodyTimeoutMs`): runs while body bytes are expected, restarted by each chunk, so
 *   it bounds a stall, not the body's total time. It is off (None) while the client waits
 *   for 100 Continue and while our own handler is slow to consume: the client is not at
 *   fault then. Expiry: the handler's body fails with 408, the client gets 408 if no
 *   response head has gone out, and the connection closes.
 * - Idle (`keepAliveTimeoutMs`): between exchanges. Expiry: silent close; postponed while
 *   the last response is still flowing to a client that reads it. During a graceful
 *   shutdown a connection that was idle (keep-alive ShuttingDown, see exchange-state.ts)
 *   keeps this deadline, neither cut short nor restarted: a proxy whose own idle timeout is
 *   shorter (as it should be) closes first. The server's shutdown grace caps it.
 * - Send (`sendTimeoutMs`): set when a write is refused (the socket holds output the client
 *   has not taken) while no other deadline runs, i.e. while the handler writes its response. Re-armed whenever the client took some bytes, so it bounds a stall, not
 *   a slow download. Expiry: the connection is destroyed (the response cannot be finished);
 *   if the output was all taken meanwhile, the deadline simply ends (None).
 * - Linger (`LINGER_MS`): after we closed our side, we keep reading and dropping leftovers
 *   so the peer's unread request bytes do not make the kernel reset the connection before
 *   our last response is read. Expiry: destroy. Postponed like Idle.
 * - None: the handler is producing a response; a slow handler is never timed out here.
 */
export const enum Deadline {
  None,
  Headers,
  Idle,
  Body,
  Linger,
  Send,
}

export const LINGER_MS = 2_000;

/** How long a deadline of `kind` lasts. */
export function durationOf(kind: Deadline, options: ServerOptions): number {
  switch (kind) {
    case Deadline.Headers:
      return options.headersTimeoutMs;
    case Deadline.Idle:
      return options.keepAliveTimeoutMs;
    case Deadline.Body:
      return options.bodyTimeoutMs;
    case Deadline.Linger:
      return LINGER_MS;
    case Deadline.Send:
      return options.sendTimeoutMs;
    case Deadline.None:
      return Infinity;
  }
}

/** When a deadline of `kind` set now passes; meaningless for None, which never passes. */
export function deadlineAt(kind: Deadline, clock: CoarseClock, options: ServerOptions): number {
  return kind === Deadline.None ? 0 : clock.deadlineAfter(durationOf(kind, options));
}

/** What expiry does to a connection; `setDeadline` replaces its deadline (see `deadlineAt`). */
export interface Expirable {
  readonly deadline: Deadline;
  setDeadline(kind: Deadline): void;
  /** True when part of a head has arrived. */
  readonly headStarted: boolean;
  write(data: Buffer | string): boolean;
  bodyTimedOut(): void;
  endConnection(): void;
  abort(reason: Error): void;
  destroy(): void;
}

/** What expiry asks of a connection's output (see output.ts). */
export interface OutputProgress {
  progressed(): boolean;
  unsent(): boolean;
}

/** Acts on a passed deadline (see the list above). */
export function expire(connection: Expirable, output: OutputProgress, backlogged: boolean): void {
  const kind = connection.deadline;
  const waitsOnOutput =
    kind === Deadline.Idle || kind === Deadline.Linger || kind === Deadline.Send || (kind === Deadline.Headers && backlogged);
  if (waitsOnOutput && output.progressed()) {
    connection.setDeadline(kind);
    return;
  }
  if (kind === Deadline.Send) {
    if (output.unsent()) connection.abort(new ProtocolError(408, 'Response not read by the client'));
    else connection.setDeadline(Deadline.None);
  } else if (kind === Deadline.Headers) {
    if (connection.headStarted) connection.write(serializeErrorResponse(408, 'Request timeout', httpDate()));
    connection.endConnection();
  } else if (kind === Deadline.Body) connection.bodyTimedOut();
  else if (kind === Deadline.Idle) connection.endConnection();
  else if (kind === Deadline.Linger) connection.destroy();
}
