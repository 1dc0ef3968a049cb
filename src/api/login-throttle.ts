// Slows password guessing: too many failed logins from one address within a window are refused.

export interface ThrottleOptions {
  /** Failures allowed within `windowMs`; the next attempt is refused (default 10). */
  failures?: number;
  /** Length of the sliding window in milliseconds (default one minute). */
  windowMs?: number;
  /** The clock (milliseconds); tests pass their own. */
  now?: () => number;
}

/** Addresses tracked before expired entries are swept. */
const SWEEP_AT = 10_000;
/**
 * Most addresses tracked at once (about 100 bytes each). Beyond it the oldest are forgotten: a
 * client spraying that many addresses can spread its guesses over them anyway.
 */
const TRACKED_LIMIT = 100_000;

export class LoginThrottle {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Times of recent failures per client address, oldest first, at most `limit` of them. */
  private readonly failuresByClient = new Map<string, number[]>();
  private nextSweep = 0;

  constructor(options: ThrottleOptions = {}) {
    this.limit = options.failures ?? 10;
    this.windowMs = options.windowMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds until `client` may try again; 0 when it may now. */
  retryAfter(client: string): number {
    const times = this.failuresByClient.get(client);
    const oldest = times?.[0];
    if (times === undefined || oldest === undefined || times.length < this.limit) return 0;
    const waitMs = oldest + this.windowMs - this.now();
    if (waitMs <= 0) return 0;
    return Math.ceil(waitMs / 1000);
  }

  /** Records a failed login from `client`. */
  fail(client: string): void {
    const now = this.now();
    // Expired entries are swept at most once a second, so a spray of addresses costs each
    // failure a bounded amount of work.
    if (this.failuresByClient.size >= SWEEP_AT && now >= this.nextSweep) {
      this.sweep(now);
      this.nextSweep = now + 1000;
    }
    let times = this.failuresByClient.get(client);
    if (times === undefined) {
      if (this.failuresByClient.size >= TRACKED_LIMIT) this.forgetOldest();
      times = [];
      this.failuresByClient.set(client, times);
    }
    times.push(now);
    for (let oldest = times[0]; oldest !== undefined && (times.length > this.limit || oldest + this.windowMs <= now); oldest = times[0]) {
      times.shift();
    }
  }

  private sweep(now: number): void {
    for (const [client, times] of this.failuresByClient) {
      const newest = times.at(-1);
      if (newest === undefined || newest + this.windowMs <= now) this.failuresByClient.delete(client);
    }
  }

  /** Drops the address tracked longest (a Map iterates in insertion order). */
  private forgetOldest(): void {
    for (const client of this.failuresByClient.keys()) {
      this.failuresByClient.delete(client);
      return;
    }
  }
}
