import type { Socket } from 'node:net';
import {
  CONTINUE_RESPONSE,
  ParseEvent,
  ProtocolError,
  methodRefusal,
  serializeErrorResponse,
  type RequestHead,
} from '../protocol/index.js';
import type { ServerOptions } from './config.js';
import { NO_PARSER, borrowParser, returnParser, type ConnectionContext } from './context.js';
import { Deadline, deadlineAt, expire, type Expirable } from './deadlines.js';
import { ExchangeState, Lifetime, Next, PauseReason, Reading, Writing } from './exchange-state.js';
import { answerFailure, dispatch, type HandlerFailure } from './dispatch.js';
import { httpDate } from './http-date.js';
import { Output } from './output.js';
import { detach } from './hand-over.js';
import { listen, notifyOutputDrained, type SocketListener } from './socket-events.js';
import { Request, type BodyController } from './request.js';
import { Response, type ResponseSink } from './response.js';

/**
 * One client connection, as glue: socket events and parser events go to `ExchangeState`
 * (which decides), the handler gets a Request/Response pair per exchange, `Output` batches
 * the writes, and `deadline` (see deadlines.ts) is checked by the server's sweeper.
 */
export class Connection implements ResponseSink, BodyController, SocketListener, HandlerFailure, Expirable {
  /** The one deadline (see deadlines.ts); the server's sweeper calls `expire` once `deadlineAt` has passed. */
  deadline = Deadline.Headers;
  deadlineAt: number;
  private readonly state = new ExchangeState();
  /** NO_PARSER while idle (see context.ts). */
  private parser = NO_PARSER;
  private readonly options: ServerOptions;
  private readonly output: Output;
  private req: Request | null = null;
  private res: Response | null = null;
  private head: RequestHead | null = null;
  /** Body bytes read and dropped after the response was complete. */
  private discarded = 0;
  /** Re-entrancy guard: a handler answering synchronously must not start a nested pump. */
  private pumping = false;
  private peer: string | null = null;
  /** When the current request's head was parsed (only tracked when someone logs). */
  private startedAt = 0;

  constructor(
    private readonly socket: Socket,
    private readonly context: ConnectionContext<Connection>,
  ) {
    this.options = context.options;
    this.output = new Output(socket);
    this.deadlineAt = deadlineAt(Deadline.Headers, context.clock, context.options);
    socket.setNoDelay(true);
    listen(socket, this);
  }

  get remoteAddress(): string {
    return (this.peer ??= this.socket.remoteAddress ?? '');
  }

  /** True when no exchange is in progress and nothing is buffered. */
  get idle(): boolean {
    return this.state.betweenExchanges && this.parser.buffered === 0;
  }

  get gone(): boolean {
    return this.state.lifetime === Lifetime.Closed;
  }
  get closeAfterResponse(): boolean {
    const head = this.head;
    return this.state.mustClose(head !== null && head.contentLength > this.options.maxDiscardBytes);
  }
  get peerIsHttp11(): boolean {
    return this.head !== null && this.head.versionMinor === 1;
  }
  get announceKeepAlive(): boolean {
    return this.head !== null && this.head.versionMinor === 0;
  }

  write(data: Buffer | string): boolean {
    if (this.gone) return false;
    const taken = this.output.write(data);
    // The client is not keeping up: from now on it must take some bytes every sendTimeoutMs.
    if (!taken && this.deadline === Deadline.None) {
      this.output.checkpoint();
      this.setDeadline(Deadline.Send);
    }
    return taken;
  }
  cork(): void {
    this.output.cork();
  }
  uncork(): void {
    this.output.uncork();
  }

  waitForDrain(): Promise<void> {
    return this.output.waitForDrain(this.gone);
  }

  responseComplete(closeAfterResponse: boolean): void {
    if (this.options.onResponse !== null && this.res !== null) this.report(this.res.status, this.res.bytesSent);
    const bodyUnread = this.state.bodyPending;
    const next = this.state.responseComplete(closeAfterResponse);
    if (bodyUnread && next === Next.Close) this.req?.abortBody(new Error('Response sent before the body was read'));
    this.after(next);
    if (next === Next.Close) return;
    this.resumeIfFree();
    if (!this.pumping) this.pump();
  }

  abort(reason: Error): void {
    this.req?.abortBody(reason);
    this.socket.destroy();
  }

  wantBody(): void {
    if (this.state.wantBody()) {
      if (this.res !== null && !this.res.headersSent) this.write(CONTINUE_RESPONSE);
      this.setDeadline(Deadline.Body);
    }
    if (this.state.resume(PauseReason.BodyConsumer)) {
      // The client is expected to send again: its body deadline runs from now.
      if (this.state.bodyPending) this.setDeadline(Deadline.Body);
      this.socket.resume();
      if (!this.pumping) this.pump();
    }
  }

  onDrain(): void {
    if (this.deadline === Deadline.Send) this.setDeadline(Deadline.None);
    this.output.drained();
  }

  onData(data: Buffer): void {
    if (this.state.lifetime !== Lifetime.Open) return;
    if (this.deadline === Deadline.Idle) this.setDeadline(Deadline.Headers);
    if (this.parser === NO_PARSER) this.parser = borrowParser(this.context);
    this.parser.feed(data);
    this.output.startBatch();
    this.pump();
    this.output.flushBatch(this.gone);
  }

  onOutputDrained(): void {
    if (this.state.resume(PauseReason.OutputBacklog)) this.socket.resume();
    this.output.startBatch();
    this.pump();
    this.output.flushBatch(this.gone);
  }

  /** Pulls parser events while the current exchange can accept them. */
  private pump(): void {
    const state = this.state;
    this.pumping = true;
    try {
      while (state.lifetime === Lifetime.Open) {
        if (state.reading === Reading.Done && state.writing === Writing.Streaming) {
          // Handler still working: pipelined bytes wait, within a bound.
          if (this.parser.buffered > this.options.maxPipelineBufferBytes) this.pause(PauseReason.PipelineFull);
          break;
        }
        if (state.pausedFor(PauseReason.BodyConsumer)) break;
        if (state.betweenExchanges && this.checkBacklog()) break;
        const event = this.parser.next();
        if (event === ParseEvent.NeedData) {
          if (state.peerEnded) this.onPeerEndWhileWaiting();
          break;
        }
        if (event === ParseEvent.Data) this.deliverBody(this.parser.chunk);
        else if (event === ParseEvent.End) this.endBody();
        else if (event === ParseEvent.Head && this.parser.head !== null) this.startExchange(this.parser.head);
        else {
          this.failRequest(this.parser.error ?? new ProtocolError(400, 'Bad request'));
          break;
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private checkBacklog(): boolean {
    if (!this.output.backlogged(this.gone)) return false;
    if (this.pause(PauseReason.OutputBacklog)) notifyOutputDrained(this.socket);
    return true;
  }

  /** Tells `onResponse` (when set) about the exchange ending now. */
  private report(status: number, bytes: number): void {
    const onResponse = this.options.onResponse;
    if (onResponse === null) return;
    const durationMs = this.startedAt === 0 ? 0 : performance.now() - this.startedAt;
    onResponse({ request: this.req, remoteAddress: this.remoteAddress, status, bytes, durationMs });
  }

  private startExchange(head: RequestHead): void {
    if (this.options.onResponse !== null) this.startedAt = performance.now();
    this.head = head;
    this.discarded = 0;
    const refusal = methodRefusal(head);
    if (refusal === null && head.upgrade && !head.hasBody && this.context.upgradeWanted() && this.state.handOver()) {
      this.handOver(head);
      return;
    }
    const expectContinue = refusal === null && head.expectContinue && head.versionMinor === 1;
    this.state.startExchange(head.hasBody, expectContinue, head.keepAlive);
    // The client waits for 100 Continue before sending the body: it is not late until then.
    this.setDeadline(head.hasBody && !expectContinue ? Deadline.Body : Deadline.None);
    if (refusal !== null) {
      this.failRequest(refusal);
      return;
    }
    const req = new Request(head, this);
    const res = new Response(this, head.method === 'HEAD');
    this.req = req;
    this.res = res;
    dispatch(this.context.handler, req, res, this);
  }

  /** Steps aside for an upgrade listener (see hand-over.ts). */
  private handOver(head: RequestHead): void {
    this.setDeadline(Deadline.None);
    detach(this.socket, this.output);
    const rest = this.parser.takeBuffered();
    // This parser is spent (takeBuffered): it is dropped, not returned to the spares.
    this.parser = NO_PARSER;
    this.context.closed(this);
    this.context.upgrade(this.socket, head, rest);
  }

  handlerFailed(res: Response, error: unknown): void {
    answerFailure(res, error, res === this.res && !this.gone, this.options.onError, this);
  }

  private deliverBody(chunk: Buffer): void {
    this.setDeadline(Deadline.Body);
    this.state.bodyArrived();
    if (this.state.reading === Reading.Discarding) {
      this.discarded += chunk.length;
      if (this.discarded > this.options.maxDiscardBytes) this.after(this.state.abandonExchange());
      return;
    }
    if (this.req !== null && !this.req.pushBody(chunk)) {
      this.pause(PauseReason.BodyConsumer);
      // No timeout while our own consumer is slow; the client is not at fault.
      this.setDeadline(Deadline.None);
    }
  }

  private endBody(): void {
    this.setDeadline(Deadline.None);
    this.req?.endBody();
    this.after(this.state.endBody());
  }

  /** Acts on a transition's outcome: close, or get ready for the next request. */
  private after(next: Next): void {
    if (next === Next.Continue) return;
    this.req = null;
    this.res = null;
    this.head = null;
    if (next === Next.Close) {
      this.endConnection();
      return;
    }
    this.resumeIfFree();
    if (this.parser.buffered === 0) this.parser = returnParser(this.context, this.parser);
    if (this.parser.buffered > 0) this.setDeadline(Deadline.Headers);
    else if (this.state.peerEnded) this.endConnection();
    else this.setDeadline(Deadline.Idle);
  }

  /** Answers a request that cannot be handled, then closes: the framing is no longer trusted. */
  private failRequest(error: ProtocolError): void {
    if (this.req !== null && this.state.bodyPending) this.req.abortBody(error);
    this.answerAndClose(error.status, error.message);
  }

  /** Ends the exchange with a short error response if none has started, then closes. */
  private answerAndClose(status: number, message: string): void {
    if (this.res === null || !this.res.headersSent) {
      this.write(serializeErrorResponse(status, message, httpDate()));
      this.report(status, 0);
    }
    this.res?.abandon();
    this.after(this.state.abandonExchange());
  }

  onPeerEnd(): void {
    this.state.peerEnded = true;
    // The client stopped sending while its answer is still being made: as node:http does,
    // tell the request (a fetch handler's signal aborts); the response is still delivered.
    if (this.req !== null && this.state.writing === Writing.Streaming && !this.state.bodyPending) this.req.peerEnded();
    if (this.state.lifetime === Lifetime.Ending) {
      this.socket.destroy();
      return;
    }
    if (!this.pumping) this.pump();
    if (this.idle) this.endConnection();
  }

  /** The peer finished sending while the parser needs more: a truncated request. */
  private onPeerEndWhileWaiting(): void {
    if (this.req !== null && this.state.bodyPending) {
      this.req.abortBody(new ProtocolError(400, 'Client closed the connection before the body was complete'));
      this.state.closeAfterResponse();
      this.after(this.state.endBody());
    } else if (this.state.writing !== Writing.Streaming) {
      this.endConnection();
    }
  }

  /** Stops writing after what is queued, and reads briefly so the peer gets it all. */
  endConnection(): void {
    if (this.gone || !this.state.end()) return;
    this.output.flushBatch(false);
    this.setDeadline(Deadline.Linger);
    this.socket.end();
    this.socket.resume();
    if (this.state.peerEnded) this.socket.destroy();
  }

  /** Adds a pause reason; true when this paused the socket. */
  private pause(reason: PauseReason): boolean {
    if (!this.state.pause(reason)) return false;
    this.socket.pause();
    return true;
  }

  /** Resumes the socket when it is paused and no pause reason is left. */
  private resumeIfFree(): void {
    if (this.state.resumeDue()) this.socket.resume();
  }

  onClose(): void {
    this.state.closed();
    this.req?.abortBody(new ProtocolError(400, 'Connection closed'));
    this.output.drained();
    this.context.closed(this);
  }

  /** @internal */
  setDeadline(kind: Deadline): void {
    this.deadline = kind;
    this.deadlineAt = deadlineAt(kind, this.context.clock, this.options);
  }

  expire(): void {
    expire(this, this.output, this.state.pausedFor(PauseReason.OutputBacklog));
  }

  /** True when part of a head has arrived. */
  get headStarted(): boolean {
    return this.parser.buffered > 0;
  }

  /** The client stopped sending its body. */
  bodyTimedOut(): void {
    this.req?.abortBody(new ProtocolError(408, 'Request body timed out'));
    this.answerAndClose(408, 'Request body timeout');
  }

  /**
   * Graceful shutdown: busy connections close after their current response; idle ones stay
   * until their idle deadline (see KeepAlive.ShuttingDown), which the server's grace bounds.
   */
  shutDown(): void {
    this.state.shutDown();
  }

  destroy(): void {
    this.socket.destroy();
  }
}
