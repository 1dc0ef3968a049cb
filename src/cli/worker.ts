// A cluster worker: serves on the port the primary shares, logs through the primary.
import { Instance } from './instance.js';
import { isPrimaryMessage, sendToPrimary } from './messages.js';
import type { CliOptions } from './options.js';
import type { TlsFiles } from './serve.js';
import { onStopSignals, signalExitCode } from './signals.js';

export async function runWorker(options: CliOptions, tls: TlsFiles | undefined): Promise<void> {
  const instance = await Instance.start(options, tls, {
    writeLog: (text) => sendToPrimary({ kind: 'log', text }),
    exit: (code) => sendToPrimary({ kind: 'log', text: '' }, () => process.exit(code)),
  });
  process.on('message', (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    if (message.kind === 'stop') instance.stop();
    else instance.stopNow(message.exitCode);
  });
  // A terminal's Ctrl-C or a service manager signals every process of the group, and the
  // primary asks too: only a second signal to this very process means "stop now".
  onStopSignals(
    () => instance.stop(),
    (signal) => instance.stopNow(signalExitCode(signal)),
  );
  sendToPrimary({ kind: 'listening', addresses: instance.addresses });
}
