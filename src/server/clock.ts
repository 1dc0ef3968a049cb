/**
 * The millisecond clock deadlines are computed from. The server's sweeper advances it, so
 * the request path never calls Date.now(). It lags real time by at most one sweep, and
 * `deadlineAfter` adds that much: a timeout fires between its length and its length plus
 * two sweep intervals.
 */
export class CoarseClock {
  now = Date.now();

  constructor(readonly resolutionMs: number) {}

  tick(): number {
    this.now = Date.now();
    return this.now;
  }

  deadlineAfter(ms: number): number {
    return this.now + ms + this.resolutionMs;
  }
}
