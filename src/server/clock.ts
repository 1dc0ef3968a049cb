/**
 * The millisecond clock deadlines are computed from. The server's sweeper advances it, so
 * the request path never calls Date.now(). It lags real time by at most one sweep, and
 * `deadlineAfter` adds that much: a timeout fires between its length and its length plus
 * two sweep intervals.
 *
 * It counts from the clock's creation, not from 1970: a deadline is then a small integer,
 * which V8 stores in the connection object itself, where Date.now()'s 1.7e12 would be a
 * boxed double of 16 more bytes per connection (heap snapshot of 5,000 idle connections).
 * After 24 days of uptime values outgrow the small-integer range and are boxed again: they
 * stay correct, only that saving ends.
 */
export class CoarseClock {
  private readonly origin = Date.now();
  now = 0;

  constructor(readonly resolutionMs: number) {}

  tick(): number {
    this.now = Date.now() - this.origin;
    return this.now;
  }

  deadlineAfter(ms: number): number {
    return this.now + ms + this.resolutionMs;
  }
}
