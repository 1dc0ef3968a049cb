import type { Socket } from 'node:net';
import {
  CONTINUE_RESPONSE,
  ParseEvent,
  ProtocolError,
  RequestParser,
  serializeErrorResponse,
  type RequestHead,
} from '../protocol/index.js';
import { HttpError } from '../protocol/http-error.js';
import type { CoarseClock } from './clock.js';
import type { ServerOptions } from './config.js';
import type { Handler } from './handler.js';
import { httpDate } from './http-date.js';
import { Request, type BodyController } from './request.js';
import { Response, type ResponseSink } from './response.js';

/**
 * The connection of each socket, for the shared listener functions. A WeakMap rather than a
 * property on the socket: adding a property would give every socket its own hidden class.
 */
const connectionOf = new WeakMap<Socket, Connection>();

/** Methods this server knows; any other token gets 501 before a handler sees it. */
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'TRACE', 'CONNECT']);

/** Why a connection's deadline exists; decides what happens when it passes. */
const enum Deadline {
  None,
  /** Waiting for the rest of a request head (408). */
  Headers,
  /** Idle between requests (silent close). */
  Idle,
  /** Waiting for request body bytes (408 if possible). */
  Body,
  /** Closed for writing, reading leftovers so the peer sees our last response (destroy). */
  Linger,
}

const LINGER_MS = 2_000;
const MAX_SPARE_PARSERS = 256;

/** What every connection of a server shares. */
export interface ConnectionContext {
  readonly options: ServerOptions;
  readonly handler: Handler;
  readonly clock: CoarseClock;
  /** Parsers of connections that went idle, lent to the next connection with bytes to parse. */
  readonly spareParsers: RequestParser[];
  closed(connection: Connection): void;
}

/**
 * Stands in for a parser while a connection is idle: it holds no bytes, so `buffered` is 0
 * and `next()` asks for data without changing any state.
 */
const NO_PARSER = new RequestParser();

/**
 * One client connection: feeds socket bytes to the parser, runs one exchange at a time
 * (pipelined requests wait in the parser's buffer, so responses leave in order), batches
 * the responses produced by one read into one socket write, and enforces timeouts via
 * `deadline`, which the server's sweeper checks.
 */
export class Connection implements ResponseSink, BodyController {
  deadline = 0;
  private deadlineKind = Deadline.Headers;
  /** NO_PARSER while idle: parsers are lent from the server's spares only while bytes wait. */
  private parser: RequestParser = NO_PARSER;
  private readonly options: ServerOptions;
  private req: Request | null = null;
  private res: Response | null = null;
  private head: RequestHead | null = null;
  private bodyDone = true;
  private responseDone = true;
  /** Body bytes that arrive after the response was sent are read and dropped, up to a limit. */
  private discarded = 0;
  private continueOwed = false;
  private closeAfter = false;
  private pumping = false;
  private readPaused = false;
  private bodyPaused = false;
  private peerEnded = false;
  /** True while the responses to one read are being produced: they leave in one write. */
  private batching = false;
  /** Latin-1 text queued during a batch, after `pendingParts`; adjacent text is joined. */
  private pendingText = '';
  private pendingParts: (Buffer | string)[] = [];
  /** Bytes queued in the current batch. */
  private pendingBytes = 0;
  /** True while no new request is started because the client is not reading its responses. */
  private outputWaiting = false;
  /** Unsent output at the last deadline check, to tell a slow reader from a stalled one. */
  private pendingOutputAtCheck = 0;
  private peer: string | null = null;
  private drainWaiters: (() => void)[] | null = null;
  gone = false;
  /** Set when the server is shutting down: finish the current exchange, then close. */
  private draining = false;
  /** When the current request's head was parsed (only tracked when someone logs). */
  private startedAt = 0;

  constructor(
    private readonly socket: Socket,
    private readonly context: ConnectionContext,
  ) {
    this.options = context.options;
    this.deadline = context.clock.deadlineAfter(this.options.headersTimeoutMs);
    socket.setNoDelay(true);
    // Shared listener functions instead of closures per connection: idle keep-alive
    // connections can number in the thousands.
    connectionOf.set(socket, this);
    socket.on('data', Connection.onSocketData);
    socket.on('end', Connection.onSocketEnd);
    socket.on('error', Connection.onSocketError);
    socket.on('close', Connection.onSocketClose);
  }

  private static onSocketData(this: Socket, data: Buffer): void {
    connectionOf.get(this)!.onData(data);
  }
  private static onSocketEnd(this: Socket): void {
    connectionOf.get(this)!.onPeerEnd();
  }
  private static onSocketDrain(this: Socket): void {
    connectionOf.get(this)!.onDrain();
  }
  private static onSocketOutputDrained(this: Socket): void {
    connectionOf.get(this)!.onOutputDrained();
  }
  private static onSocketError(this: Socket): void {
    this.destroy();
  }
  private static onSocketClose(this: Socket): void {
    connectionOf.get(this)!.onClose();
  }

  get remoteAddress(): string {
    return (this.peer ??= this.socket.remoteAddress ?? '');
  }

  /** True when no request is in progress and nothing is buffered. */
  get idle(): boolean {
    return this.responseDone && this.bodyDone && this.parser.buffered === 0;
  }

  // ---- ResponseSink -------------------------------------------------------------------

  get closeAfterResponse(): boolean {
    // A response before a still-owed 100 Continue leaves the body's fate unknown, and an unread
    // body longer than we are willing to discard ends the connection: close, and say so.
    if (this.closeAfter || this.draining) return true;
    if (this.bodyDone) return false;
    return this.continueOwed || (this.head !== null && this.head.contentLength > this.options.maxDrainBytes);
  }
  get peerIsHttp11(): boolean {
    return this.head !== null && this.head.versionMinor === 1;
  }
  get announceKeepAlive(): boolean {
    return this.head !== null && this.head.versionMinor === 0;
  }

  write(data: Buffer | string): boolean {
    if (this.gone) return false;
    if (this.batching) {
      this.pendingBytes += data.length;
      if (typeof data === 'string') {
        this.pendingText += data;
      } else {
        if (this.pendingText !== '') this.pendingParts.push(this.pendingText);
        this.pendingText = '';
        this.pendingParts.push(data);
      }
      return true;
    }
    return typeof data === 'string' ? this.socket.write(data, 'latin1') : this.socket.write(data);
  }

  cork(): void {
    if (!this.batching) this.socket.cork();
  }

  uncork(): void {
    if (!this.batching) this.socket.uncork();
  }

  waitForDrain(): Promise<void> {
    if (this.gone || !this.socket.writableNeedDrain) return Promise.resolve();
    if (this.drainWaiters === null) {
      this.drainWaiters = [];
      this.socket.once('drain', Connection.onSocketDrain);
    }
    return new Promise((resolve) => this.drainWaiters!.push(resolve));
  }

  responseComplete(closeConnection: boolean): void {
    if (this.options.onResponse !== null && this.res !== null) this.report(this.req, this.res.status, this.res.bytesSent);
    if (closeConnection) this.closeAfter = true;
    this.responseDone = true;
    if (!this.bodyDone) {
      // The handler answered without reading the whole body. If the client still waits for
      // 100 Continue it will not send the body, so the connection cannot be reused.
      if (this.continueOwed) this.closeAfter = true;
      if (this.closeAfter) {
        this.req?.abortBody(new Error('Response sent before the body was read'));
        this.finishExchange();
        return;
      }
      this.bodyPaused = false;
      this.resumeReading();
      if (!this.pumping) this.pump();
      return;
    }
    this.finishExchange();
    if (!this.pumping) this.pump();
  }

  abort(reason: Error): void {
    this.req?.abortBody(reason);
    this.socket.destroy();
  }

  // ---- BodyController -----------------------------------------------------------------

  wantBody(): void {
    if (this.continueOwed && !this.responseDone) {
      this.continueOwed = false;
      if (this.res !== null && !this.res.headersSent) this.write(CONTINUE_RESPONSE);
      this.setDeadline(Deadline.Body, this.options.bodyTimeoutMs);
    }
    if (this.bodyPaused) {
      this.bodyPaused = false;
      // The client is expected to send again: its body deadline runs from now.
      if (!this.bodyDone) this.setDeadline(Deadline.Body, this.options.bodyTimeoutMs);
      this.resumeReading();
      if (!this.pumping) this.pump();
    }
  }

  // ---- input --------------------------------------------------------------------------

  private onData(data: Buffer): void {
    if (this.deadlineKind === Deadline.Idle) this.setDeadline(Deadline.Headers, this.options.headersTimeoutMs);
    if (this.deadlineKind === Deadline.Linger) return;
    if (this.parser === NO_PARSER) this.parser = this.context.spareParsers.pop() ?? new RequestParser(this.options);
    this.parser.feed(data);
    this.batching = true;
    this.pump();
    this.flushBatch();
  }

  /** Writes what one read produced: usually a single latin-1 string, so one native write. */
  private flushBatch(): void {
    this.batching = false;
    this.writePending();
  }

  /** Hands what the batch holds so far to the socket. */
  private writePending(): void {
    const text = this.pendingText;
    const parts = this.pendingParts;
    this.pendingText = '';
    this.pendingBytes = 0;
    if (parts.length > 0) this.pendingParts = [];
    if (this.gone) return;
    if (parts.length === 0) {
      if (text !== '') this.socket.write(text, 'latin1');
      return;
    }
    if (text !== '') parts.push(text);
    this.socket.cork();
    for (const part of parts) {
      if (typeof part === 'string') this.socket.write(part, 'latin1');
      else this.socket.write(part);
    }
    this.socket.uncork();
  }

  /**
   * True when the client is not reading its responses: no further pipelined request starts
   * until the socket drains, so unread responses cannot pile up in memory here.
   */
  private outputBacklogged(): boolean {
    // A batch grown past the socket's buffer size goes out now; only then does the socket
    // say whether the client keeps up (a 'drain' comes only after a write it refused).
    if (this.pendingBytes >= this.socket.writableHighWaterMark) this.writePending();
    if (!this.socket.writableNeedDrain) return false;
    if (!this.outputWaiting) {
      this.outputWaiting = true;
      this.pauseReading();
      this.socket.once('drain', Connection.onSocketOutputDrained);
    }
    return true;
  }

  private onOutputDrained(): void {
    this.outputWaiting = false;
    this.resumeReading();
    this.batching = true;
    this.pump();
    this.flushBatch();
  }

  /** Pulls parser events while the current exchange can accept them. */
  private pump(): void {
    this.pumping = true;
    try {
      while (!this.gone && this.deadlineKind !== Deadline.Linger) {
        if (!this.bodyDone) {
          if (this.bodyPaused) break;
        } else if (!this.responseDone) {
          // Handler still working: pipelined bytes wait, within a bound.
          if (this.parser.buffered > this.options.maxPipelineBufferBytes) this.pauseReading();
          break;
        } else if (this.outputBacklogged()) {
          break;
        }
        const event = this.parser.next();
        if (event === ParseEvent.NeedData) {
          if (this.peerEnded) this.onPeerEndWhileWaiting();
          break;
        }
        if (event === ParseEvent.Head) this.startExchange(this.parser.head!);
        else if (event === ParseEvent.Data) this.deliverBody(this.parser.chunk);
        else if (event === ParseEvent.End) this.endBody();
        else {
          this.failRequest(this.parser.error!);
          break;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private report(req: Request | null, status: number, bytes: number): void {
    const durationMs = this.startedAt === 0 ? 0 : performance.now() - this.startedAt;
    this.options.onResponse!({ request: req, remoteAddress: this.remoteAddress, status, bytes, durationMs });
  }

  private startExchange(head: RequestHead): void {
    if (this.options.onResponse !== null) this.startedAt = performance.now();
    this.head = head;
    this.bodyDone = false;
    this.responseDone = false;
    this.discarded = 0;
    this.continueOwed = false;
    this.closeAfter = !head.keepAlive;
    this.setDeadline(head.hasBody ? Deadline.Body : Deadline.None, this.options.bodyTimeoutMs);
    const refusal = this.refusal(head);
    if (refusal !== null) {
      this.failRequest(refusal);
      return;
    }
    this.continueOwed = head.expectContinue && head.versionMinor === 1 && head.hasBody;
    // The client waits for 100 Continue before sending the body: it is not late until then.
    if (this.continueOwed) this.setDeadline(Deadline.None, 0);
    const req = new Request(head, this);
    const res = new Response(this, head.method === 'HEAD');
    this.req = req;
    this.res = res;
    let result: void | Promise<void>;
    try {
      result = this.context.handler(req, res);
    } catch (error) {
      this.handlerFailed(res, error);
      return;
    }
    if (result !== undefined && typeof result.then === 'function') {
      result.then(undefined, (error: unknown) => this.handlerFailed(res, error));
    }
  }

  /** Checks the server makes before any handler runs. */
  private refusal(head: RequestHead): ProtocolError | null {
    const method = head.method;
    // The parser hands out GET, HEAD and POST as shared literals: skip the set lookup for them.
    if (method !== 'GET' && method !== 'HEAD' && method !== 'POST' && !KNOWN_METHODS.has(method)) {
      return new ProtocolError(501, `Method not implemented: ${method}`);
    }
    if (head.form === 'authority') return new ProtocolError(501, 'This server is not a proxy');
    if (head.unsupportedExpectation !== null) return new ProtocolError(417, 'Unsupported expectation');
    return null;
  }

  private handlerFailed(res: Response, error: unknown): void {
    const status = statusOf(error);
    if (status === 500) this.options.onError(error);
    if (res !== this.res || this.gone) return;
    if (res.headersSent) {
      this.abort(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    // The framing is intact, so the connection can stay open; only the response changes.
    res.replaceWithError(status, status === 500 ? 'Internal Server Error' : messageOf(error));
  }

  private deliverBody(chunk: Buffer): void {
    this.setDeadline(Deadline.Body, this.options.bodyTimeoutMs);
    if (this.responseDone) {
      this.discarded += chunk.length;
      if (this.discarded > this.options.maxDrainBytes) {
        this.closeAfter = true;
        this.endConnection();
      }
      return;
    }
    if (!this.req!.pushBody(chunk)) {
      this.bodyPaused = true;
      this.pauseReading();
      // No timeout while our own consumer is slow; the client is not at fault.
      this.setDeadline(Deadline.None, 0);
    }
  }

  private endBody(): void {
    this.bodyDone = true;
    this.setDeadline(Deadline.None, 0);
    this.req!.endBody();
    if (this.responseDone) this.finishExchange();
  }

  /** Both halves of the exchange are complete: close, or get ready for the next request. */
  private finishExchange(): void {
    this.req = null;
    this.res = null;
    this.head = null;
    this.bodyDone = true;
    this.responseDone = true;
    if (this.closeAfter || this.draining) {
      this.endConnection();
      return;
    }
    this.resumeReading();
    if (this.parser.buffered === 0) this.returnParser();
    if (this.parser.buffered > 0) this.setDeadline(Deadline.Headers, this.options.headersTimeoutMs);
    else if (this.peerEnded) this.endConnection();
    else this.setDeadline(Deadline.Idle, this.options.keepAliveTimeoutMs);
  }

  /** Answers a request that cannot be handled, then closes: the framing is no longer trusted. */
  private failRequest(error: ProtocolError): void {
    this.closeAfter = true;
    if (this.req !== null && !this.bodyDone) this.req.abortBody(error);
    if (this.res === null || !this.res.headersSent) {
      this.write(serializeErrorResponse(error.status, error.message, httpDate()));
      if (this.options.onResponse !== null) this.report(this.req, error.status, 0);
    }
    this.res?.abandon();
    this.responseDone = true;
    this.bodyDone = true;
    this.finishExchange();
  }

  private onPeerEnd(): void {
    this.peerEnded = true;
    if (!this.pumping) this.pump();
    if (this.idle && this.deadlineKind !== Deadline.Linger) this.endConnection();
    else if (this.deadlineKind === Deadline.Linger) this.socket.destroy();
  }

  /** The peer finished sending while the parser needs more: a truncated request. */
  private onPeerEndWhileWaiting(): void {
    if (!this.bodyDone && this.req !== null) {
      this.req.abortBody(new ProtocolError(400, 'Client closed the connection before the body was complete'));
      this.bodyDone = true;
      this.closeAfter = true;
      if (this.responseDone) this.endConnection();
    } else if (this.responseDone) {
      this.endConnection();
    }
  }

  // ---- output and lifetime ------------------------------------------------------------

  /** Stops writing after what is queued, and keeps reading briefly so the peer gets it all. */
  private endConnection(): void {
    if (this.gone || this.deadlineKind === Deadline.Linger) return;
    this.flushBatch();
    this.setDeadline(Deadline.Linger, LINGER_MS);
    this.socket.end();
    this.resumeReading();
    if (this.peerEnded) this.socket.destroy();
  }

  /** Gives an emptied parser back: thousands of idle keep-alive connections then hold none. */
  private returnParser(): void {
    if (this.parser === NO_PARSER) return;
    const spares = this.context.spareParsers;
    if (spares.length < MAX_SPARE_PARSERS) spares.push(this.parser);
    this.parser = NO_PARSER;
  }

  private pauseReading(): void {
    if (!this.readPaused) {
      this.readPaused = true;
      this.socket.pause();
    }
  }

  private resumeReading(): void {
    if (this.readPaused && !this.bodyPaused) {
      this.readPaused = false;
      this.socket.resume();
    }
  }

  private onDrain(): void {
    const waiters = this.drainWaiters;
    if (waiters === null) return;
    this.drainWaiters = null;
    for (const resolve of waiters) resolve();
  }

  private onClose(): void {
    this.gone = true;
    this.req?.abortBody(new ProtocolError(400, 'Connection closed'));
    this.onDrain();
    this.context.closed(this);
  }

  private setDeadline(kind: Deadline, ms: number): void {
    this.deadlineKind = kind;
    this.deadline = kind === Deadline.None ? Infinity : this.context.clock.deadlineAfter(ms);
  }

  /** Called by the server's sweeper once `deadline` has passed. */
  expire(): void {
    const kind = this.deadlineKind;
    const waitingOnOutput = kind === Deadline.Idle || kind === Deadline.Linger || (kind === Deadline.Headers && this.outputWaiting);
    if (waitingOnOutput && this.outputProgressed()) {
      // A response is still flowing to a client that reads it: that is neither idle nor
      // lingering, and a request pipelined behind it is waiting on us, not late.
      const ms = kind === Deadline.Idle ? this.options.keepAliveTimeoutMs : kind === Deadline.Linger ? LINGER_MS : this.options.headersTimeoutMs;
      this.setDeadline(kind, ms);
      return;
    }
    switch (this.deadlineKind) {
      case Deadline.Headers:
        if (this.parser.buffered > 0) this.write(serializeErrorResponse(408, 'Request timeout', httpDate()));
        this.endConnection();
        break;
      case Deadline.Body:
        this.req?.abortBody(new ProtocolError(408, 'Request body timed out'));
        if (this.res !== null && !this.res.headersSent) {
          this.write(serializeErrorResponse(408, 'Request body timeout', httpDate()));
        }
        this.res?.abandon();
        this.bodyDone = true;
        this.responseDone = true;
        this.closeAfter = true;
        this.finishExchange();
        break;
      case Deadline.Idle:
        this.endConnection();
        break;
      case Deadline.Linger:
        this.socket.destroy();
        break;
      case Deadline.None:
        break;
    }
  }

  /** True when queued output is still waiting to be sent and has shrunk since the last check. */
  private outputProgressed(): boolean {
    // writableLength only drops when a whole write completes; the handle's write queue shrinks
    // as the kernel takes bytes, which is what shows a slow reader of one large write at work.
    const handle = (this.socket as unknown as { _handle?: { writeQueueSize?: number } | null })._handle;
    const pending = this.socket.writableLength + (handle?.writeQueueSize ?? 0);
    const progressed = pending > 0 && pending !== this.pendingOutputAtCheck;
    this.pendingOutputAtCheck = pending;
    return progressed;
  }

  /** Graceful shutdown: idle connections close now, busy ones after their current response. */
  drain(): void {
    this.draining = true;
    if (this.idle || this.deadlineKind === Deadline.Idle) this.endConnection();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

// Only an HttpError chooses its answer; any other error is a 500 that tells the client nothing.
function statusOf(error: unknown): number {
  return error instanceof HttpError ? error.status : 500;
}

function messageOf(error: unknown): string {
  return error instanceof HttpError ? error.message : 'Internal Server Error';
}
