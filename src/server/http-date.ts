// The Date header changes once a second; formatting it per response is wasted work.
let cached = '';
let cachedUntil = 0;

/** The current time as an IMF-fixdate (RFC 9110 §5.6.7), recomputed at most once a second. */
export function httpDate(now: number = Date.now()): string {
  if (now >= cachedUntil) {
    cached = new Date(now).toUTCString();
    cachedUntil = now - (now % 1000) + 1000;
  }
  return cached;
}
