/*
 * Theory of operation
 *
 * A connection runs one exchange (request + response) at a time; pipelined requests wait in
 * the parser's buffer, so responses leave in order. Everything that decides what the
 * connection may do next lives here, as named states with no socket, timer or parser in
 * sight, so the rules can be read in one place and tested without TCP. `Connection` is the
 * glue: it turns socket events and parser events into the calls below and acts on the
 * answers (pause or resume the socket, start the next request, close).
 *
 * Three machines, after hyper's `Reading` / `Writing` / `KA`. Transitions (event: from → to):
 *
 *   reading    head without body:           Head → Done
 *              head with body:              Head → Body
 *              head with 100-continue:      Head → AwaitingContinue
 *              body wanted / bytes arrive:  AwaitingContinue → Body
 *              response complete:           Body → Discarding        (AwaitingContinue: close)
 *              body ends:                   Body | Discarding → Done
 *   writing    head:                        Idle → Streaming
 *              response complete:           Streaming → Done
 *   keepAlive  head:                        Idle → Busy              (Disabled if the peer asked)
 *              shutdown between exchanges:  Idle → ShuttingDown
 *              head while shutting down:    ShuttingDown → Disabled
 *              close after response, shutdown, bad request, timeout:  any → Disabled (final)
 *
 * ShuttingDown exists for graceful shutdown behind a proxy: a proxy may already have sent a
 * request on a connection it holds idle. Closing such a connection at once loses that request
 * (nginx answers a POST on it with 502); instead it stays open until its idle deadline, and a
 * request that comes is answered with `Connection: close`.
 *
 * An exchange is finished when reading and writing are both Done:
 * both machines return to Head / Idle, or, with keep-alive Disabled, the connection ends.
 *
 * Reading from the socket can be paused for three independent reasons (`PauseReason`); the
 * socket is resumed only when none is left, so one cause clearing cannot undo another.
 * Transitions that end a cause (an exchange finishing ends PipelineFull, a complete response
 * ends BodyConsumer) only clear its bit; `resumeDue()` then says whether the socket must resume.
 *
 * `Lifetime` is orthogonal: once our side is Ending (we sent FIN and read leftovers so the
 * peer sees our last response) nothing new starts; Closed means the socket is gone;
 * HandedOver means an upgrade listener took it (only from Open, and not while closing).
 */

/** Where the request side of the current exchange is. */
export const enum Reading {
  /** Between exchanges, or reading the next head. */
  Head,
  /** The head asked for 100 Continue and the handler has not asked for the body yet. */
  AwaitingContinue,
  /** Body bytes go to the handler. */
  Body,
  /** The response is complete before the body: remaining body bytes are read and dropped. */
  Discarding,
  /** The body is complete (or there was none); the response is still being written. */
  Done,
}

/** Where the response side of the current exchange is. */
export const enum Writing {
  /** No exchange in progress. */
  Idle,
  /** The handler owns the response. */
  Streaming,
  /** The response is complete; the request body may still be discarded. */
  Done,
}

/** Whether the connection may carry another exchange. */
export const enum KeepAlive {
  Idle,
  Busy,
  /** Between exchanges during shutdown: one more request is answered, then the connection closes. */
  ShuttingDown,
  /** Close after this response: the peer, the handler, an error or shutdown asked for it. */
  Disabled,
}

/** Why reading from the socket is paused; a bit set, reading resumes when it is empty. */
export const enum PauseReason {
  None = 0,
  /** The handler's body consumer is full. */
  BodyConsumer = 1,
  /** Pipelined bytes wait past the buffer limit while a handler works. */
  PipelineFull = 2,
  /** The client is not reading its responses (the socket asked us to wait for 'drain'). */
  OutputBacklog = 4,
}

/** Not a reason: records that the socket is paused, so it is resumed only if it was. */
const SOCKET_PAUSED = 8;

export const enum Lifetime {
  Open,
  /** Our side is closed for writing; leftovers are read until the peer closes or linger ends. */
  Ending,
  /** The socket is closed. */
  Closed,
  /** The socket went to an upgrade listener: it is no longer ours. */
  HandedOver,
}

/** What must happen after a transition; the glue acts on it. */
export const enum Next {
  /** Keep going: pull further parser events. */
  Continue,
  /** The exchange is over and the connection is reusable: prepare for the next head. */
  NextExchange,
  /** End the connection after what is queued. */
  Close,
}

/**
 * The state of one connection's current exchange. Fields are public for reading; change
 * them only through the methods, which keep the combinations legal.
 */
export class ExchangeState {
  reading = Reading.Head;
  writing = Writing.Idle;
  keepAlive = KeepAlive.Idle;
  /** Pause reasons, plus SOCKET_PAUSED while the socket is paused. */
  private pauseBits = 0;
  lifetime = Lifetime.Open;
  /** The peer sent FIN: no more bytes will come. A fact, not a state of ours. */
  peerEnded = false;

  /** True when no exchange is in progress. */
  get betweenExchanges(): boolean {
    return this.writing === Writing.Idle;
  }

  /** True while the request body has not been read to its end. */
  get bodyPending(): boolean {
    return this.reading === Reading.AwaitingContinue || this.reading === Reading.Body || this.reading === Reading.Discarding;
  }

  /** A head was parsed: a new exchange begins. */
  startExchange(hasBody: boolean, expectContinue: boolean, keepAlive: boolean): void {
    this.reading = !hasBody ? Reading.Done : expectContinue ? Reading.AwaitingContinue : Reading.Body;
    this.writing = Writing.Streaming;
    if (this.keepAlive === KeepAlive.ShuttingDown) this.keepAlive = KeepAlive.Disabled;
    else if (this.keepAlive !== KeepAlive.Disabled) this.keepAlive = keepAlive ? KeepAlive.Busy : KeepAlive.Disabled;
  }

  /**
   * Graceful shutdown: a connection between exchanges stays open until its idle deadline and
   * answers at most one more request; one in an exchange closes after it.
   */
  shutDown(): void {
    if (this.keepAlive === KeepAlive.Idle) this.keepAlive = KeepAlive.ShuttingDown;
    else if (this.keepAlive === KeepAlive.Busy) this.keepAlive = KeepAlive.Disabled;
  }

  /** The connection will close after the current response (or now, if idle). */
  closeAfterResponse(): void {
    this.keepAlive = KeepAlive.Disabled;
  }

  /** The handler asked for the body. Returns true when 100 Continue is owed now. */
  wantBody(): boolean {
    if (this.reading !== Reading.AwaitingContinue || this.writing !== Writing.Streaming) return false;
    this.reading = Reading.Body;
    return true;
  }

  /** Body bytes arrived; a client may send them without waiting for 100 Continue. */
  bodyArrived(): void {
    if (this.reading === Reading.AwaitingContinue) this.reading = Reading.Body;
  }

  /** The request body ended. */
  endBody(): Next {
    this.reading = Reading.Done;
    return this.writing === Writing.Done ? this.finish() : Next.Continue;
  }

  /**
   * The response is complete. An unread body is discarded to keep the connection, unless
   * the client still waits for 100 Continue (it will not send the body) or closing is decided.
   */
  responseComplete(closeAfterResponse: boolean): Next {
    if (closeAfterResponse) this.keepAlive = KeepAlive.Disabled;
    this.writing = Writing.Done;
    if (this.reading === Reading.Done) return this.finish();
    if (this.reading === Reading.AwaitingContinue) this.keepAlive = KeepAlive.Disabled;
    if (this.keepAlive === KeepAlive.Disabled) return this.abandonExchange();
    this.reading = Reading.Discarding;
    this.pauseBits &= ~PauseReason.BodyConsumer;
    return Next.Continue;
  }

  /** The exchange cannot go on (bad request, timeout, truncated body): close after it. */
  abandonExchange(): Next {
    this.keepAlive = KeepAlive.Disabled;
    this.reading = Reading.Done;
    this.writing = Writing.Done;
    return this.finish();
  }

  /**
   * Whether the response being written must say `Connection: close`. A response before a
   * still-owed 100 Continue leaves the body's fate unknown, and an unread body longer than
   * we are willing to discard ends the connection.
   */
  mustClose(unreadBodyTooLong: boolean): boolean {
    if (this.keepAlive === KeepAlive.Disabled) return true;
    if (this.reading === Reading.AwaitingContinue) return true;
    return this.reading === Reading.Body && unreadBodyTooLong;
  }

  private finish(): Next {
    this.reading = Reading.Head;
    this.writing = Writing.Idle;
    this.pauseBits &= ~PauseReason.PipelineFull;
    if (this.keepAlive === KeepAlive.Disabled) return Next.Close;
    this.keepAlive = KeepAlive.Idle;
    return Next.NextExchange;
  }

  /** Why reading is paused: PauseReason bits, 0 (PauseReason.None) when it is not. */
  get paused(): number {
    return this.pauseBits & ~SOCKET_PAUSED;
  }

  /** Adds a pause reason; true when the socket must be paused now (it was reading). */
  pause(reason: PauseReason): boolean {
    const wasReading = this.pauseBits === 0;
    this.pauseBits |= reason | SOCKET_PAUSED;
    return wasReading;
  }

  /** Clears a pause reason; true when the socket must resume now (no reason is left). */
  resume(reason: PauseReason): boolean {
    this.pauseBits &= ~reason;
    return this.resumeDue();
  }

  /**
   * True, once, when the socket is paused with no reason left: resume it. One comparison, so
   * the glue asks after every exchange instead of calling into the socket.
   */
  resumeDue(): boolean {
    if (this.pauseBits !== SOCKET_PAUSED) return false;
    this.pauseBits = 0;
    return true;
  }

  /** True when `reason` is among the pause reasons. */
  pausedFor(reason: PauseReason): boolean {
    return (this.pauseBits & reason) !== 0;
  }

  /** The socket is closed. */
  closed(): void {
    this.lifetime = Lifetime.Closed;
  }

  /**
   * The request asks to switch protocols and a listener takes the socket: true if that may
   * happen now (open, and not closing after this exchange, as during shutdown).
   */
  handOver(): boolean {
    if (this.lifetime !== Lifetime.Open) return false;
    if (this.keepAlive === KeepAlive.Disabled || this.keepAlive === KeepAlive.ShuttingDown) return false;
    this.lifetime = Lifetime.HandedOver;
    this.pauseBits = 0;
    return true;
  }

  /** Our side is closing: every pause ends, leftovers are read and dropped. True if it was open. */
  end(): boolean {
    if (this.lifetime !== Lifetime.Open) return false;
    this.lifetime = Lifetime.Ending;
    this.keepAlive = KeepAlive.Disabled;
    this.pauseBits = 0;
    return true;
  }
}
