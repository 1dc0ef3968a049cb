// The wirehttp command: parses options, then serves in this process or as a cluster.
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { removeStaleUploads } from '../app/index.js';
import { accessPlan, readAuthFile } from './access.js';
import { CliError, EXIT_FAILURE } from './errors.js';
import { sendToPrimary } from './messages.js';
import { helpText, parseCommand } from './options.js';
import { runPrimary } from './primary.js';
import { checkDirectory, loadTls } from './serve.js';
import { runSingle } from './single.js';
import { runWorker } from './worker.js';

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const command = parseCommand(argv, env);
  if (command.kind === 'help') {
    process.stdout.write(helpText());
    return;
  }
  if (command.kind === 'version') {
    process.stdout.write(`wirehttp ${version()}\n`);
    return;
  }
  process.stdout.on('error', () => {}); // a closed stdout (e.g. `| head`) must not stop the server
  const options = command.options;
  if (options.directory !== undefined) options.directory = await checkDirectory(options.directory);
  const tls = await loadTls(options);
  await readAuthFile(options);
  accessPlan(options); // rules that clash stop the start here, before any worker
  if (cluster.isWorker) return runWorker(options, tls);
  // Only one process may sweep leftovers: a worker doing it could delete a sibling's upload.
  if (options.directory !== undefined) await removeStaleUploads(options.directory);
  if (options.workers === 1) return runSingle(options, tls);
  runPrimary(options);
}

/** Runs the command; a CliError becomes one line on stderr and its exit code. */
export function run(): void {
  main(process.argv.slice(2), process.env).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const exitCode = error instanceof CliError ? error.exitCode : EXIT_FAILURE;
    if (cluster.isWorker) {
      sendToPrimary({ kind: 'fatal', message, exitCode }, () => process.exit(exitCode));
      return;
    }
    process.stderr.write(`wirehttp: ${message}\n`);
    process.exit(exitCode);
  });
}
