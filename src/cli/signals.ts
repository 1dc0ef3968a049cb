import { constants } from 'node:os';
import type { CliOptions } from './options.js';

/** Exit code of a process stopped at once by `signal`: 128 + its number, as shells report. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/** Calls `first` on the first SIGTERM or SIGINT and `again` on every later one. */
export function onStopSignals(first: (signal: NodeJS.Signals) => void, again: (signal: NodeJS.Signals) => void): void {
  let received = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    received++;
    if (received === 1) first(signal);
    else again(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** How a graceful shutdown will go, for the line logged when it starts. */
export function shutdownPlan(options: CliOptions): string {
  const wait = `waiting up to ${options.shutdownTimeout / 1000}s for requests in flight`;
  return options.shutdownDelay > 0 ? `failing /healthz for ${options.shutdownDelay / 1000}s, then ${wait}` : wait;
}
