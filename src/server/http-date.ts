// The Date header changes once a second; formatting it per response is wasted work, and so
// is reading the clock: a timer clears the cached text at each second boundary.
let cached = '';

/** The current time as an IMF-fixdate (RFC 9110 §5.6.7). */
export function httpDate(): string {
  if (cached === '') {
    const now = Date.now();
    cached = new Date(now).toUTCString();
    setTimeout(expire, 1000 - (now % 1000)).unref();
  }
  return cached;
}

function expire(): void {
  cached = '';
}
