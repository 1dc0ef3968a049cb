import type { Socket } from 'node:net';
import { CONTINUE_RESPONSE, ParseEvent, ProtocolError, methodRefusal, type RequestHead } from '../protocol/index.js';
import { deliverBody, endBody, tooLongToDiscard, type BodyIntakeTarget } from './body-intake.js';
import type { ServerOptions } from './config.js';
import { NO_PARSER, borrowParser, returnParser, type ConnectionContext } from './context.js';
import { Deadline, deadlineAt, expire, type Expirable } from './deadlines.js';
import { ExchangeState, Lifetime, Next, PauseReason, Reading, Writing } from './exchange-state.js';
import { answerFailure, dispatch, type HandlerFailure } from './dispatch.js';
import { bodyTimedOut, failRequest, report, type ErrorAnswerTarget } from './error-answers.js';
import { Output } from './output.js';
import { detach } from './hand-over.js';
import { onPeerEnd, onPeerEndWhileWaiting, type PeerEndTarget } from './peer-end.js';
import { listen, notifyOutputDrained, type SocketListener } from './socket-events.js';
import { Request, type BodyController } from './request.js';
import { Response, type ResponseSink } from './response.js';

/**
 * One client connection, as glue: socket events and parser events go to `ExchangeState`
 * (which decides), the handler gets a Request/Response pair per exchange, `Output` batches
 * the writes, and `deadline` (see deadlines.ts) is checked by the server's sweeper. Off the
 * request's main line, the work is in plain functions over this object's fields (no object
 * per connection): body-intake.ts, error-answers.ts and peer-end.ts; fields those need are
 * `@internal`.
 */
export class Connection
  implements
    ResponseSink,
    BodyController,
    SocketListener,
    HandlerFailure,
    Expirable,
    BodyIntakeTarget,
    ErrorAnswerTarget,
    PeerEndTarget
{
  /** The one deadline (see deadlines.ts); the server's sweeper calls `expire` once `deadlineAt` has passed. */
  deadline = Deadline.Headers;
  deadlineAt: number;
  /** @internal */
  readonly state = new ExchangeState();
  /** NO_PARSER while idle (see context.ts). */
  private parser = NO_PARSER;
  /** @internal */
  readonly options: ServerOptions;
  private readonly output: Output;
  /** @internal */
  req: Request | null = null;
  /** @internal */
  res: Response | null = null;
  private head: RequestHead | null = null;
  /** @internal Body bytes read and dropped after the response was complete. */
  discarded = 0;
  /** @internal Re-entrancy guard: a handler answering synchronously must not start a nested pump. */
  pumping = false;
  private peer: string | null = null;
  /** @internal When the current request's head was parsed (only tracked when someone logs). */
  startedAt = 0;

  constructor(
    /** @internal */
    readonly socket: Socket,
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
    return this.state.mustClose(tooLongToDiscard(this.head, this.options));
  }
  get peerIsHttp11(): boolean {
    return this.head !== null && this.head.versionMinor === 1;
  }
  get announceKeepAlive(): boolean {
    return this.head !== null && this.head.versionMinor === 0;
  }

  write(data: Buffer | string, done?: () => void): boolean {
    if (this.gone) return false;
    const taken = this.output.write(data, done);
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
    if (this.options.onResponse !== null && this.res !== null) report(this, this.res.status, this.res.bytesSent);
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

  /** @internal Pulls parser events while the current exchange can accept them. */
  pump(): void {
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
          if (state.peerEnded) onPeerEndWhileWaiting(this);
          break;
        }
        if (event === ParseEvent.Data) deliverBody(this, this.parser.chunk);
        else if (event === ParseEvent.End) endBody(this);
        else if (event === ParseEvent.Head && this.parser.head !== null) this.startExchange(this.parser.head);
        else {
          failRequest(this, this.parser.error ?? new ProtocolError(400, 'Bad request'));
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
      failRequest(this, refusal);
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

  /** @internal Acts on a transition's outcome: close, or get ready for the next request. */
  after(next: Next): void {
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

  onPeerEnd(): void {
    onPeerEnd(this);
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

  /** @internal Adds a pause reason; true when this paused the socket. */
  pause(reason: PauseReason): boolean {
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

  bodyTimedOut(): void {
    bodyTimedOut(this);
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
