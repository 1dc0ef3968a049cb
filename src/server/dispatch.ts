import { HttpError } from '../protocol/http-error.js';
import type { Handler } from './handler.js';
import type { Request } from './request.js';
import type { Response } from './response.js';

/**
 * Running a handler, and how an error it throws (or rejects with) becomes a response. Only
 * an `HttpError` (e.g. `BodyTooLargeError`) chooses its answer: its status and message;
 * anything else is a bug in the handler: 500, reported to `onError`, and its message stays
 * on the server. Once the response head is out the status cannot
 * change, so the connection is torn down instead (the client sees a short body).
 */
export interface ErrorAnswer {
  readonly status: number;
  readonly message: string;
}

const INTERNAL: ErrorAnswer = { status: 500, message: 'Internal Server Error' };

function answerFor(error: unknown): ErrorAnswer {
  if (!(error instanceof HttpError) || error.status === 500) return INTERNAL;
  return { status: error.status, message: error.message };
}

/** The error to tear a connection down with when a response already under way fails. */
function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Answers a handler's failure: reported to `onError` when it is a bug; when `current` (the
 * response is still the exchange's and the connection is open), the response becomes the
 * error's, or, with its head already out, the connection is torn down.
 */
export function answerFailure(
  res: Response,
  error: unknown,
  current: boolean,
  onError: (error: unknown) => void,
  connection: { abort(reason: Error): void },
): void {
  const answer = answerFor(error);
  if (answer.status === 500) onError(error);
  if (!current) return;
  if (res.headersSent) connection.abort(asError(error));
  // The framing is intact, so the connection can stay open; only the response changes.
  else res.replaceWithError(answer.status, answer.message);
}

export interface HandlerFailure {
  handlerFailed(res: Response, error: unknown): void;
}

/** Calls the handler; a throw or a rejection goes to `onFailure` (a closure only for async handlers). */
export function dispatch(handler: Handler, req: Request, res: Response, onFailure: HandlerFailure): void {
  let result: void | Promise<void>;
  try {
    result = handler(req, res);
  } catch (error) {
    onFailure.handlerFailed(res, error);
    return;
  }
  if (result !== undefined && typeof result.then === 'function') {
    result.then(undefined, (error: unknown) => {
      onFailure.handlerFailed(res, error);
    });
  }
}
