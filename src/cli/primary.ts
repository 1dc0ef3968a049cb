// The cluster primary with --workers N: forks the workers that share the port, restarts
// crashed ones with a backoff, prints the start-up line once, and stops them all gracefully.
import cluster, { type Worker } from 'node:cluster';
import type { ListeningAddress } from '../index.js';
import { EXIT_FAILURE } from './errors.js';
import { isWorkerMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';
import type { CliOptions } from './options.js';
import { startupLine } from './serve.js';
import { onStopSignals, shutdownPlan, signalExitCode } from './signals.js';

/** A worker that lived at least this long was healthy: its crash does not grow the backoff. */
const STABLE_AFTER_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 30_000;
/** Extra time the primary gives workers beyond their own shutdown deadline. */
const SHUTDOWN_MARGIN_MS = 5_000;

export function runPrimary(options: CliOptions): void {
  const startedAt = new Map<Worker, number>();
  const restarts = new Set<NodeJS.Timeout>();
  let listening = 0;
  let announced = false;
  let quickCrashes = 0;
  /** Set once shutdown was asked for; workers that report in later get it too. */
  let stopMessage: PrimaryMessage | null = null;
  let exitCode: number | null = null;
  let boundPort: number | null = null;
  let portPinned = false;

  const fork = (): void => {
    // Workers share a port through the primary's listener for the address they ask for. With
    // --port 0 that listener closes once every worker is gone, and new workers asking for
    // port 0 again would get a new port: from then on they ask for the bound port by number.
    if (options.port === 0 && boundPort !== null && startedAt.size === 0 && !portPinned) {
      cluster.setupPrimary({ args: [...process.argv.slice(2), '--port', String(boundPort)] });
      portPinned = true;
    }
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    // Sending to a worker that is already gone fails; its 'exit' event handles the rest.
    worker.on('error', () => {});
    worker.on('message', (message: unknown) => {
      if (isWorkerMessage(message)) onMessage(worker, message);
    });
  };

  const onMessage = (worker: Worker, message: WorkerMessage): void => {
    if (message.kind === 'log') {
      if (message.text !== '') process.stdout.write(message.text);
    } else if (message.kind === 'listening') {
      onListening(worker, message.addresses);
    } else if (announced) {
      process.stderr.write(`wirehttp: worker ${worker.process.pid}: ${message.message}\n`);
    } else if (exitCode === null) {
      process.stderr.write(`wirehttp: ${message.message}\n`);
      stopAll({ kind: 'stop-now', exitCode: message.exitCode });
    }
  };

  const onListening = (worker: Worker, addresses: ListeningAddress[]): void => {
    // A worker may not have been listening for messages yet when shutdown was sent.
    if (stopMessage !== null) {
      worker.send(stopMessage);
      return;
    }
    if (announced) {
      process.stderr.write(`wirehttp: worker ${worker.process.pid} started\n`);
      return;
    }
    if (++listening === options.workers) {
      announced = true;
      process.stderr.write(startupLine(addresses, options));
      boundPort = addresses[0]?.port ?? null;
    }
  };

  const stopAll = (message: PrimaryMessage): void => {
    stopMessage = message;
    exitCode = message.kind === 'stop' ? 0 : message.exitCode;
    for (const timer of restarts) clearTimeout(timer);
    restarts.clear();
    if (startedAt.size === 0) process.exit(exitCode);
    for (const worker of startedAt.keys()) if (worker.isConnected()) worker.send(message);
    const deadline =
      message.kind === 'stop' ? options.shutdownDelay + options.shutdownTimeout + SHUTDOWN_MARGIN_MS : SHUTDOWN_MARGIN_MS;
    setTimeout(() => {
      process.stderr.write('wirehttp: workers did not stop in time, killing them\n');
      for (const worker of startedAt.keys()) worker.process.kill('SIGKILL');
      process.exit(EXIT_FAILURE);
    }, deadline).unref();
  };

  // Node passes a null signal when the worker exited by itself; @types/node says string.
  cluster.on('exit', (worker, code, signal: string | null) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (exitCode !== null) {
      if (code !== 0 && exitCode === 0) exitCode = EXIT_FAILURE;
      if (startedAt.size === 0) process.exit(exitCode);
      return;
    }
    const how = signal !== null ? `signal ${signal}` : `code ${code}`;
    if (!announced) {
      process.stderr.write(`wirehttp: a worker exited during start-up (${how})\n`);
      stopAll({ kind: 'stop-now', exitCode: EXIT_FAILURE });
      return;
    }
    quickCrashes = lived >= STABLE_AFTER_MS ? 0 : quickCrashes + 1;
    const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** Math.max(0, quickCrashes - 1));
    process.stderr.write(`wirehttp: worker ${worker.process.pid} exited (${how}), starting another in ${delay}ms\n`);
    const timer = setTimeout(() => {
      restarts.delete(timer);
      fork();
    }, delay);
    restarts.add(timer);
  });

  onStopSignals(
    (signal) => {
      process.stderr.write(`wirehttp: ${signal}: shutting down ${startedAt.size} workers, ${shutdownPlan(options)}\n`);
      stopAll({ kind: 'stop' });
    },
    (signal) => {
      process.stderr.write(`wirehttp: ${signal} again: stopping now\n`);
      stopAll({ kind: 'stop-now', exitCode: signalExitCode(signal) });
    },
  );
  for (let i = 0; i < options.workers; i++) fork();
}
