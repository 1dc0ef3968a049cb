// The connection's state machine, without sockets, parsers or timers.
import test from 'node:test';
import assert from 'node:assert/strict';
import { ExchangeState } from '../../dist/server/exchange-state.js';
import { constEnums } from './const-enums.mjs';

const { Reading, Writing, KeepAlive, PauseReason, Lifetime, Next } = constEnums(
  new URL('../../src/server/exchange-state.ts', import.meta.url),
);

function started({ hasBody = false, expectContinue = false, keepAlive = true } = {}) {
  const state = new ExchangeState();
  state.startExchange(hasBody, expectContinue, keepAlive);
  return state;
}

test('the enums were read from the source', () => {
  assert.equal(Object.keys(Reading).length, 5);
  assert.equal(PauseReason.OutputBacklog, 4);
  assert.deepEqual(Object.keys(Next), ['Continue', 'NextExchange', 'Close']);
});

test('a fresh connection is between exchanges, reading and open', () => {
  const state = new ExchangeState();
  assert.equal(state.reading, Reading.Head);
  assert.equal(state.writing, Writing.Idle);
  assert.equal(state.keepAlive, KeepAlive.Idle);
  assert.equal(state.paused, PauseReason.None);
  assert.equal(state.lifetime, Lifetime.Open);
  assert.equal(state.betweenExchanges, true);
});

test('a bodiless request: response complete finishes the exchange and keeps the connection', () => {
  const state = started();
  assert.equal(state.reading, Reading.Done);
  assert.equal(state.writing, Writing.Streaming);
  assert.equal(state.keepAlive, KeepAlive.Busy);
  assert.equal(state.responseComplete(false), Next.NextExchange);
  assert.equal(state.reading, Reading.Head);
  assert.equal(state.writing, Writing.Idle);
  assert.equal(state.keepAlive, KeepAlive.Idle);
});

test('the body ending before the response waits for the response; after it, finishes', () => {
  const state = started({ hasBody: true });
  assert.equal(state.reading, Reading.Body);
  assert.equal(state.endBody(), Next.Continue);
  assert.equal(state.reading, Reading.Done);
  assert.equal(state.responseComplete(false), Next.NextExchange);
});

test('a response before the body ends: the rest is discarded, then the next exchange', () => {
  const state = started({ hasBody: true });
  state.pause(PauseReason.BodyConsumer);
  assert.equal(state.responseComplete(false), Next.Continue);
  assert.equal(state.reading, Reading.Discarding);
  assert.equal(state.writing, Writing.Done);
  assert.equal(state.pausedFor(PauseReason.BodyConsumer), false, 'discarding needs no consumer');
  assert.equal(state.bodyPending, true);
  assert.equal(state.endBody(), Next.NextExchange);
});

test('a response while 100 Continue is still owed closes: the client will not send the body', () => {
  const state = started({ hasBody: true, expectContinue: true });
  assert.equal(state.reading, Reading.AwaitingContinue);
  assert.equal(state.mustClose(false), true);
  assert.equal(state.responseComplete(false), Next.Close);
  assert.equal(state.keepAlive, KeepAlive.Disabled);
});

test('wantBody owes 100 Continue once, and only while the response is being written', () => {
  const state = started({ hasBody: true, expectContinue: true });
  assert.equal(state.wantBody(), true);
  assert.equal(state.reading, Reading.Body);
  assert.equal(state.wantBody(), false);
  assert.equal(state.mustClose(false), false);
});

test('a body sent without waiting for 100 Continue is read as a body', () => {
  const state = started({ hasBody: true, expectContinue: true });
  state.bodyArrived();
  assert.equal(state.reading, Reading.Body);
  assert.equal(state.wantBody(), false, 'no 100 Continue after the body started');
});

test('keep-alive: the peer, the handler or shutdown disable it, and it stays disabled', () => {
  assert.equal(started({ keepAlive: false }).responseComplete(false), Next.Close);
  assert.equal(started().responseComplete(true), Next.Close);
  const state = new ExchangeState();
  state.closeAfterResponse();
  state.startExchange(false, false, true);
  assert.equal(state.keepAlive, KeepAlive.Disabled, 'a keep-alive request does not undo shutdown');
  assert.equal(state.mustClose(false), true);
  assert.equal(state.responseComplete(false), Next.Close);
});

test('an unread body longer than the discard limit makes the response say close', () => {
  const state = started({ hasBody: true });
  assert.equal(state.mustClose(true), true);
  assert.equal(state.mustClose(false), false);
  state.endBody();
  assert.equal(state.mustClose(true), false, 'a body already read costs nothing');
});

test('abandoning an exchange closes, whatever its halves were doing', () => {
  const state = started({ hasBody: true });
  assert.equal(state.abandonExchange(), Next.Close);
  assert.equal(state.betweenExchanges, true);
  assert.equal(state.keepAlive, KeepAlive.Disabled);
});

test('pause reasons: the socket resumes only when the last reason clears', () => {
  const state = new ExchangeState();
  assert.equal(state.pause(PauseReason.BodyConsumer), true, 'first reason pauses the socket');
  assert.equal(state.pause(PauseReason.OutputBacklog), false, 'already paused');
  assert.equal(state.resume(PauseReason.BodyConsumer), false, 'output backlog still holds it');
  assert.equal(state.pausedFor(PauseReason.OutputBacklog), true);
  assert.equal(state.resume(PauseReason.PipelineFull), false, 'clearing an absent reason does nothing');
  assert.equal(state.resume(PauseReason.OutputBacklog), true);
  assert.equal(state.paused, PauseReason.None);
});

test('finishing an exchange clears the pipeline pause, not the output backlog', () => {
  const state = started();
  state.pause(PauseReason.PipelineFull);
  state.pause(PauseReason.OutputBacklog);
  state.responseComplete(false);
  assert.equal(state.pausedFor(PauseReason.PipelineFull), false);
  assert.equal(state.pausedFor(PauseReason.OutputBacklog), true);
});

test('ending our side disables keep-alive, clears every pause, and happens once', () => {
  const state = new ExchangeState();
  state.pause(PauseReason.PipelineFull | PauseReason.BodyConsumer);
  assert.equal(state.end(), true);
  assert.equal(state.lifetime, Lifetime.Ending);
  assert.equal(state.paused, PauseReason.None);
  assert.equal(state.keepAlive, KeepAlive.Disabled);
  assert.equal(state.end(), false);
});

test('a cause ended by a transition leaves the socket paused until resumeDue says so, once', () => {
  const state = started();
  assert.equal(state.resumeDue(), false, 'never paused: nothing to resume');
  state.pause(PauseReason.PipelineFull);
  assert.equal(state.responseComplete(false), Next.NextExchange);
  assert.equal(state.paused, PauseReason.None);
  assert.equal(state.resumeDue(), true);
  assert.equal(state.resumeDue(), false);
});

test('shutdown between exchanges keeps the connection: one more request is answered, then the connection closes', () => {
  const state = new ExchangeState();
  state.shutDown();
  assert.equal(state.keepAlive, KeepAlive.ShuttingDown);
  state.shutDown();
  assert.equal(state.keepAlive, KeepAlive.ShuttingDown, 'a second shutdown changes nothing');
  state.startExchange(false, false, true);
  assert.equal(state.keepAlive, KeepAlive.Disabled, 'the request that came during shutdown is the last');
  assert.equal(state.mustClose(false), true);
  assert.equal(state.responseComplete(false), Next.Close);
});

test('shutdown during an exchange closes after it, without waiting for another', () => {
  const state = started();
  state.shutDown();
  assert.equal(state.keepAlive, KeepAlive.Disabled);
  assert.equal(state.responseComplete(false), Next.Close);
});

test('ending our side while shutting down disables keep-alive', () => {
  const state = new ExchangeState();
  state.shutDown();
  assert.equal(state.end(), true);
  assert.equal(state.keepAlive, KeepAlive.Disabled);
});

test('an upgrade hands the connection over only while it is open and not closing', () => {
  const open = new ExchangeState();
  assert.equal(open.handOver(), true);
  assert.equal(open.lifetime, Lifetime.HandedOver);
  assert.equal(open.handOver(), false, 'only once');
  const closing = new ExchangeState();
  closing.closeAfterResponse();
  assert.equal(closing.handOver(), false);
  assert.equal(closing.lifetime, Lifetime.Open);
  const shuttingDown = new ExchangeState();
  shuttingDown.shutDown();
  assert.equal(shuttingDown.handOver(), false, 'no upgrade starts during shutdown');
  const ending = new ExchangeState();
  ending.end();
  assert.equal(ending.handOver(), false);
});
