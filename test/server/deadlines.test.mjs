// What a passed deadline does, per kind, with stand-ins for the connection and its output.
import test from 'node:test';
import assert from 'node:assert/strict';
import { CoarseClock } from '../../dist/server/clock.js';
import { DEFAULT_SERVER_OPTIONS } from '../../dist/server/config.js';
import { deadlineAt, durationOf, expire } from '../../dist/server/deadlines.js';
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

/** A stand-in connection with a deadline of `kind`, recording what expiry calls on it. */
function connection(kind, options = {}) {
  const clock = new CoarseClock(10);
  const calls = [];
  const record = (name) => () => calls.push(name);
  const c = {
    calls,
    // Part of a head has arrived: a head's expiry answers 408 (a write) before closing.
    headStarted: true,
    write: (data) => calls.push(String(data).startsWith('HTTP/1.1 408 ') ? 'write 408' : 'write'),
    deadline: kind,
    deadlineAt: 0,
    setDeadline(next) {
      c.deadline = next;
      c.deadlineAt = deadlineAt(next, clock, { ...DEFAULT_SERVER_OPTIONS, ...options });
    },
    bodyTimedOut: record('bodyTimedOut'),
    endConnection: record('endConnection'),
    abort: (reason) => calls.push(`abort ${reason.status}`),
    destroy: record('destroy'),
  };
  c.setDeadline(kind);
  return c;
}

test('a deadline is a small integer: milliseconds since the clock started, not since 1970', () => {
  const c = connection(Deadline.Idle, { keepAliveTimeoutMs: 5000 });
  // 5000 ms plus one sweep interval (10 ms) on a clock that has not ticked yet.
  assert.equal(c.deadlineAt, 5010);
  const clock = new CoarseClock(10);
  assert.ok(clock.tick() < 1000, 'a new clock reads (nearly) 0');
});

test('the send deadline lasts sendTimeoutMs', () => {
  assert.equal(durationOf(Deadline.Send, { ...DEFAULT_SERVER_OPTIONS, sendTimeoutMs: 1234 }), 1234);
  assert.equal(DEFAULT_SERVER_OPTIONS.sendTimeoutMs, 60_000);
});

test('send: a client that took bytes since the last check gets another period', () => {
  const c = connection(Deadline.Send);
  const o = output(5000);
  expire(c, o, false);
  assert.equal(c.deadline, Deadline.Send);
  assert.deepEqual(c.calls, []);
});

test('send: a client that took nothing for a whole period is cut off', () => {
  const c = connection(Deadline.Send);
  const o = output(5000, 5000);
  expire(c, o, false);
  expire(c, o, false);
  assert.deepEqual(c.calls, ['abort 408']);
});

test('send: output that was all taken meanwhile ends the deadline, no harm done', () => {
  const c = connection(Deadline.Send);
  expire(c, output(0), false);
  assert.equal(c.deadline, Deadline.None);
  assert.deepEqual(c.calls, []);
});

test('idle (also how long an idle connection stays during shutdown): close when output is not moving', () => {
  const c = connection(Deadline.Idle);
  expire(c, output(0), false);
  assert.deepEqual(c.calls, ['endConnection']);
});

test('headers: postponed only while a backlogged response keeps moving', () => {
  const c = connection(Deadline.Headers);
  expire(c, output(100), true);
  assert.deepEqual(c.calls, []);
  expire(c, output(100), false);
  assert.deepEqual(c.calls, ['write 408', 'endConnection']);
});
