/** Throw from a handler to answer with `status` and `message` (as text/plain) instead of 500. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
