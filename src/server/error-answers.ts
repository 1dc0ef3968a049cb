import { ProtocolError, serializeErrorResponse } from '../protocol/index.js';
import type { ServerOptions } from './config.js';
import type { ExchangeState, Next } from './exchange-state.js';
import { httpDate } from './http-date.js';
import type { Request } from './request.js';
import type { Response } from './response.js';

/**
 * Exchanges that end in a short error response and a close (bad framing, a refused method, a
 * stalled body), and the `onResponse` report every exchange gets. Kept out of connection.ts:
 * none of it runs for a request that is answered normally, except `report` when someone logs.
 */
export interface ErrorAnswerTarget {
  readonly options: ServerOptions;
  readonly state: ExchangeState;
  readonly req: Request | null;
  readonly res: Response | null;
  readonly remoteAddress: string;
  /** When the current request's head was parsed (only tracked when someone logs). */
  readonly startedAt: number;
  write(data: Buffer | string): boolean;
  after(next: Next): void;
}

/** Tells `onResponse` (when set) about the exchange ending now. */
export function report(connection: ErrorAnswerTarget, status: number, bytes: number): void {
  const onResponse = connection.options.onResponse;
  if (onResponse === null) return;
  const durationMs = connection.startedAt === 0 ? 0 : performance.now() - connection.startedAt;
  onResponse({ request: connection.req, remoteAddress: connection.remoteAddress, status, bytes, durationMs });
}

/** Answers a request that cannot be handled, then closes: the framing is no longer trusted. */
export function failRequest(connection: ErrorAnswerTarget, error: ProtocolError): void {
  if (connection.req !== null && connection.state.bodyPending) connection.req.abortBody(error);
  answerAndClose(connection, error.status, error.message);
}

/** The client stopped sending its body. */
export function bodyTimedOut(connection: ErrorAnswerTarget): void {
  connection.req?.abortBody(new ProtocolError(408, 'Request body timed out'));
  answerAndClose(connection, 408, 'Request body timeout');
}

/** Ends the exchange with a short error response if none has started, then closes. */
function answerAndClose(connection: ErrorAnswerTarget, status: number, message: string): void {
  const res = connection.res;
  if (res === null || !res.headersSent) {
    connection.write(serializeErrorResponse(status, message, httpDate()));
    report(connection, status, 0);
  }
  res?.abandon();
  connection.after(connection.state.abandonExchange());
}
