/**
 * A request the server must refuse. `status` is the response to send; after any
 * ProtocolError the message framing can no longer be trusted, so the connection closes.
 */
export class ProtocolError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
