// Drives a RequestParser over pieces of input and lists its events, for the protocol tests.
import assert from 'node:assert/strict';
import { ParseEvent, RequestParser } from '../../dist/protocol/index.js';

/**
 * Feeds `pieces` (latin-1 strings or Buffers) one by one and returns the events:
 * { head }, { data } (consecutive Data merged, as their boundaries follow the feeds), { end },
 * { error, message }. `dataEvents` counts the Data events themselves.
 */
export function parseEvents(pieces, limits) {
  const parser = new RequestParser(limits);
  const events = [];
  let body = null;
  let dataEvents = 0;
  const flush = () => {
    if (body !== null) events.push({ data: Buffer.concat(body).toString('latin1') });
    body = null;
  };
  for (const piece of pieces) {
    parser.feed(typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece);
    for (let guard = 0; ; guard++) {
      assert.ok(guard < 10_000_000, 'the parser keeps producing events without input');
      const event = parser.next();
      if (event === ParseEvent.NeedData) break;
      if (event === ParseEvent.Data) {
        assert.ok(parser.chunk.length > 0, 'Data events carry bytes');
        (body ??= []).push(Buffer.from(parser.chunk));
        dataEvents++;
        continue;
      }
      flush();
      if (event === ParseEvent.Head) events.push({ head: parser.head });
      else if (event === ParseEvent.End) events.push({ end: true });
      else {
        events.push({ error: parser.error.status, message: parser.error.message });
        return { events, dataEvents };
      }
    }
  }
  flush();
  return { events, dataEvents };
}

/** The final event for `message` fed whole, after checking that every 2-way split agrees. */
export function lastEventWhateverTheSplit(message, limits) {
  const summary = (list) => list.map((e) => (e.head ? { head: e.head.target } : e));
  const whole = summary(parseEvents([message], limits).events);
  const step = message.length > 400 ? 37 : 1;
  for (let i = 1; i < message.length; i += step) {
    const split = summary(parseEvents([message.slice(0, i), message.slice(i)], limits).events);
    assert.deepEqual(split, whole, `split at ${i}`);
  }
  return whole.at(-1);
}
