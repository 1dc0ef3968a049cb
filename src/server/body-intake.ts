import type { RequestHead } from '../protocol/index.js';
import type { ServerOptions } from './config.js';
import { Deadline } from './deadlines.js';
import { PauseReason, Reading, type ExchangeState, type Next } from './exchange-state.js';
import type { Request } from './request.js';

/**
 * Request body bytes from the parser to the handler's request, or, once the response is
 * complete, discarded up to `maxDiscardBytes` so the connection can be kept for the next
 * request. Plain functions over the connection's own fields: no object per connection.
 */
export interface BodyIntakeTarget {
  readonly options: ServerOptions;
  readonly state: ExchangeState;
  readonly req: Request | null;
  /** Body bytes read and dropped after the response was complete. */
  discarded: number;
  setDeadline(kind: Deadline): void;
  pause(reason: PauseReason): boolean;
  after(next: Next): void;
}

/** True when a body announced this long is more than is worth discarding: close after response instead. */
export function tooLongToDiscard(head: RequestHead | null, options: ServerOptions): boolean {
  return head !== null && head.contentLength > options.maxDiscardBytes;
}

export function deliverBody(connection: BodyIntakeTarget, chunk: Buffer): void {
  connection.setDeadline(Deadline.Body);
  const state = connection.state;
  state.bodyArrived();
  if (state.reading === Reading.Discarding) {
    connection.discarded += chunk.length;
    if (connection.discarded > connection.options.maxDiscardBytes) connection.after(state.abandonExchange());
    return;
  }
  const req = connection.req;
  if (req !== null && !req.pushBody(chunk)) {
    connection.pause(PauseReason.BodyConsumer);
    // No timeout while our own consumer is slow; the client is not at fault.
    connection.setDeadline(Deadline.None);
  }
}

export function endBody(connection: BodyIntakeTarget): void {
  connection.setDeadline(Deadline.None);
  connection.req?.endBody();
  connection.after(connection.state.endBody());
}
