// What a passed deadline does, per kind, with stand-ins for the connection and its output.
import test from 'node:test';
import assert from 'node:assert/strict';
import { CoarseClock } from '../../dist/server/clock.js';
import { DEFAULT_SERVER_OPTIONS } from '../../dist/server/config.js';
import { DeadlineTimer, durationOf, expire } from '../../dist/server/deadlines.js';
import { constEnums } from './const-enums.mjs';

const { Deadline } = constEnums(new URL('../../src/server/deadlines.ts', import.meta.url));

/** Output whose unsent byte counts, one per progress check, are given in advance. */
function output(...unsentAtChecks) {
  let unsent = 0;
  return {
    progressed() {
      const next = unsentAtChecks.shift() ?? unsent;
      const progressed = next > 0 && next !== unsent;
      unsent = next;
      return progressed;
    },
    unsent: () => unsent > 0,
  };
}

function connection() {
  const calls = [];
  const record = (name) => () => calls.push(name);
  return {
    calls,
    // Part of a head has arrived: a head's expiry answers 408 (a write) before closing.
    headStarted: true,
    write: (data) => calls.push(String(data).startsWith('HTTP/1.1 408 ') ? 'write 408' : 'write'),
    bodyTimedOut: record('bodyTimedOut'),
    endConnection: record('endConnection'),
    abort: (reason) => calls.push(`abort ${reason.status}`),
    destroy: record('destroy'),
  };
}

function timer(kind, options = {}) {
  const t = new DeadlineTimer(new CoarseClock(10), { ...DEFAULT_SERVER_OPTIONS, ...options });
  t.set(kind);
  return t;
}

test('the send deadline lasts sendTimeoutMs', () => {
  assert.equal(durationOf(Deadline.Send, { ...DEFAULT_SERVER_OPTIONS, sendTimeoutMs: 1234 }), 1234);
  assert.equal(DEFAULT_SERVER_OPTIONS.sendTimeoutMs, 60_000);
});

test('send: a client that took bytes since the last check gets another period', () => {
  const t = timer(Deadline.Send);
  const c = connection();
  const o = output(5000);
  expire(t, c, o, false);
  assert.equal(t.kind, Deadline.Send);
  assert.deepEqual(c.calls, []);
});

test('send: a client that took nothing for a whole period is cut off', () => {
  const t = timer(Deadline.Send);
  const c = connection();
  const o = output(5000, 5000);
  expire(t, c, o, false);
  expire(t, c, o, false);
  assert.deepEqual(c.calls, ['abort 408']);
});

test('send: output that was all taken meanwhile ends the deadline, no harm done', () => {
  const t = timer(Deadline.Send);
  const c = connection();
  expire(t, c, output(0), false);
  assert.equal(t.kind, Deadline.None);
  assert.equal(t.at, Infinity);
  assert.deepEqual(c.calls, []);
});

test('idle (also how long an idle connection stays during shutdown): close when output is not moving', () => {
  const t = timer(Deadline.Idle);
  const c = connection();
  expire(t, c, output(0), false);
  assert.deepEqual(c.calls, ['endConnection']);
});

test('headers: postponed only while a backlogged response keeps moving', () => {
  const c = connection();
  const t = timer(Deadline.Headers);
  expire(t, c, output(100), true);
  assert.deepEqual(c.calls, []);
  expire(t, c, output(100), false);
  assert.deepEqual(c.calls, ['write 408', 'endConnection']);
});
