import { DEFAULT_PARSER_LIMITS, type ParserLimits } from '../protocol/limits.js';
import type { Request } from './request.js';

/** One finished exchange, as reported to `onResponse` (e.g. for an access log). */
export interface ResponseRecord {
  /** The request, or null when it could not be parsed (the response was an error). */
  request: Request | null;
  remoteAddress: string;
  status: number;
  /** Body bytes sent (0 for HEAD and bodiless responses). */
  bytes: number;
  durationMs: number;
}

/** Connection-level settings; every field has a default (see DEFAULT_SERVER_OPTIONS). */
export interface ServerOptions extends ParserLimits {
  /** The whole request head must arrive within this many ms of its first byte (408 after). */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many ms. */
  keepAliveTimeoutMs: number;
  /** A request body that stalls for this many ms is abandoned (408 when still possible). */
  bodyTimeoutMs: number;
  /**
   * A response whose client takes no byte of it for this many ms is abandoned and the
   * connection destroyed (a download nobody reads would otherwise hold it forever).
   */
  sendTimeoutMs: number;
  /** Most open connections; further ones get 503 and are closed. */
  maxConnections: number;
  /** Unread request body the server will read and discard to keep a connection alive. */
  maxDiscardBytes: number;
  /** Pipelined bytes buffered while a request is being handled before reading pauses. */
  maxPipelineBufferBytes: number;
  /** Called with errors thrown by handlers (the client gets 500). */
  onError: (error: unknown) => void;
  /** Called after each response has been handed to the socket; null costs nothing. */
  onResponse: ((record: ResponseRecord) => void) | null;
}

export const DEFAULT_SERVER_OPTIONS: Readonly<ServerOptions> = {
  ...DEFAULT_PARSER_LIMITS,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  bodyTimeoutMs: 30_000,
  sendTimeoutMs: 60_000,
  maxConnections: 20_000,
  maxDiscardBytes: 256 * 1024,
  maxPipelineBufferBytes: 64 * 1024,
  onError: (error) => {
    console.error('wirehttp: handler error:', error instanceof Error ? (error.stack ?? error.message) : error);
  },
  onResponse: null,
};
