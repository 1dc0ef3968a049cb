// Serving without --workers: everything in this one process.
import type { CliOptions } from './options.js';
import { Instance } from './instance.js';
import { startupLine, type TlsFiles } from './serve.js';
import { onStopSignals, shutdownPlan, signalExitCode } from './signals.js';

export async function runSingle(options: CliOptions, tls: TlsFiles | undefined): Promise<void> {
  const instance = await Instance.start(options, tls, {
    writeLog: (text) => process.stdout.write(text),
    exit: (code) => process.stdout.write('', () => process.exit(code)),
  });
  process.stderr.write(startupLine(instance.addresses, options));
  onStopSignals(
    (signal) => {
      process.stderr.write(`wirehttp: ${signal}: shutting down, ${shutdownPlan(options)}\n`);
      instance.stop();
    },
    (signal) => {
      process.stderr.write(`wirehttp: ${signal} again: stopping now\n`);
      instance.stopNow(signalExitCode(signal));
    },
  );
}
