/**
 * Throw from a handler to answer with `status` (400-599) and `message` (as text/plain)
 * instead of 500. Only an HttpError chooses the answer: any other error, whatever fields it
 * carries, answers 500 "Internal Server Error" and goes to `onError`, so its message (which may
 * hold paths or internals) never reaches the client.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be an integer from 400 to 599, not ${status}`);
    }
    this.name = 'HttpError';
  }
}
