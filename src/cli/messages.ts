// What cluster workers and the primary say to each other over the IPC channel.
import type { ListeningAddress } from '../index.js';

export type WorkerMessage =
  | { kind: 'listening'; addresses: ListeningAddress[] }
  /** The worker could not start; the primary reports it and exits with `exitCode`. */
  | { kind: 'fatal'; message: string; exitCode: number }
  /** A batch of access-log lines; the primary writes them, so lines never interleave. */
  | { kind: 'log'; text: string };

export type PrimaryMessage = { kind: 'stop' } | { kind: 'stop-now'; exitCode: number };

function hasKind(message: unknown): message is { kind: unknown } {
  return typeof message === 'object' && message !== null && 'kind' in message;
}

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return hasKind(message) && (message.kind === 'listening' || message.kind === 'fatal' || message.kind === 'log');
}

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  return hasKind(message) && (message.kind === 'stop' || message.kind === 'stop-now');
}

/** Sends to the primary and calls `then` once the message has left. */
export function sendToPrimary(message: WorkerMessage, then?: () => void): void {
  if (process.send === undefined || !process.connected) {
    then?.();
    return;
  }
  process.send(message, undefined, {}, () => then?.());
}
