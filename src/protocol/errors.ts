import { HttpError } from './http-error.js';

/**
 * A request the server must refuse. `status` is the response to send; after any
 * ProtocolError the message framing can no longer be trusted, so the connection closes.
 * It is an HttpError: a handler that passes on its request body's failure answers with it.
 */
export class ProtocolError extends HttpError {
  constructor(status: number, message: string) {
    super(status, message);
    this.name = 'ProtocolError';
  }
}
