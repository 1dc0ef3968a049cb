// A cluster worker: serves on the port the primary shares, logs through the primary.
import { Instance } from './instance.js';
import { isPrimaryMessage, sendToPrimary } from './messages.js';
import type { CliOptions } from './options.js';
import type { TlsFiles } from './serve.js';
import { onStopSignals, signalExitCode } from './signals.js';

export async function runWorker(options: CliOptions, tls: TlsFiles | undefined): Promise<void> {
  // Listen for stop requests before starting: one may come while the server is still starting,
  // and with nothing in flight yet the worker can simply leave.
  let instance: Instance | null = null;
  const stop = (): void => (instance === null ? process.exit(0) : instance.stop());
  const stopNow = (code: number): void => (instance === null ? process.exit(code) : instance.stopNow(code));
  process.on('message', (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    if (message.kind === 'stop') stop();
    else stopNow(message.exitCode);
  });
  // A terminal's Ctrl-C or a service manager signals every process of the group, and the
  // primary asks too: only a second signal to this very process means "stop now".
  onStopSignals(stop, (signal) => stopNow(signalExitCode(signal)));
  instance = await Instance.start(options, tls, {
    writeLog: (text) => sendToPrimary({ kind: 'log', text }),
    exit: (code) => sendToPrimary({ kind: 'log', text: '' }, () => process.exit(code)),
  });
  sendToPrimary({ kind: 'listening', addresses: instance.addresses });
}
