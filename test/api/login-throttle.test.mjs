// The failed-login throttle on its own: memory stays bounded under a spray of addresses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginThrottle } from '../../dist/api/login-throttle.js';

test('a spray of addresses is forgotten oldest first, and recent offenders are still held', () => {
  let now = 0;
  const throttle = new LoginThrottle({ failures: 2, now: () => now });
  for (let i = 0; i < 120_000; i++) {
    now += 0.1;
    throttle.fail(`2001:db8::${i.toString(16)}`);
  }
  throttle.fail('2001:db8::1d4bf'); // the last address of the spray, now at its second failure
  assert.ok(throttle.retryAfter('2001:db8::1d4bf') > 0);
  assert.equal(throttle.retryAfter('2001:db8::0'), 0);
  assert.ok(throttle['failuresByClient'].size <= 100_000, `${throttle['failuresByClient'].size} addresses tracked`);
});

test('expired addresses are swept once many are tracked', () => {
  let now = 0;
  const throttle = new LoginThrottle({ now: () => now });
  for (let i = 0; i < 10_000; i++) throttle.fail(`198.51.100.${i}`);
  now = 61_000;
  throttle.fail('203.0.113.1');
  assert.equal(throttle['failuresByClient'].size, 1);
});
