#!/usr/bin/env node
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createApp } from './app/index.js';
import { removeStaleUploads } from './app/atomic-write.js';
import { createServer } from './index.js';

const HELP = `Usage: wirehttp [options]

Serves the built-in routes (/, /echo/{text}, /user-agent) and, with --directory,
the files of DIR under /files/{name} (GET to download, POST to upload).

Options:
  -p, --port N          TCP port to listen on (default: 4221)
  -H, --host ADDR       address to bind (default: localhost = 127.0.0.1 and ::1;
                        use 0.0.0.0 or :: to accept other machines)
  -d, --directory DIR   directory served under /files/ (default: none)
  -h, --help            show this help and exit
`;

/** A user error: printed as one line, exits with `code`. */
class CliError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

function parseOptions(argv: string[]): { port: number; host: string; directory?: string; help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p', default: '4221' },
        host: { type: 'string', short: 'H', default: 'localhost' },
        directory: { type: 'string', short: 'd' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliError((error as Error).message, 2);
  }
  const port = Number(values.port);
  if (!/^[0-9]+$/.test(values.port) || port > 65535) {
    throw new CliError(`--port must be a number from 0 to 65535, got "${values.port}"`, 2);
  }
  if (values.host === '') throw new CliError('--host must not be empty', 2);
  return { port, host: values.host, directory: values.directory, help: values.help };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(HELP);
    return;
  }
  if (options.directory !== undefined) {
    const info = await stat(options.directory).catch(() => null);
    if (info === null || !info.isDirectory()) {
      throw new CliError(`--directory: not a directory: ${options.directory}`, 1);
    }
    await removeStaleUploads(options.directory);
  }
  const app = await createApp({ directory: options.directory });
  const server = createServer(app.handle, { maxBodyBytes: 64 * 1024 ** 3 });
  let addresses;
  try {
    addresses = await server.listen({ port: options.port, host: options.host });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    if (err.code === 'EADDRINUSE') throw new CliError(`port ${options.port} is already in use`, 1);
    if (err.code === 'EACCES') throw new CliError(`no permission to listen on port ${options.port}`, 1);
    if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
      throw new CliError(`cannot listen on host ${options.host}`, 1);
    }
    throw new CliError(`cannot listen: ${err.message}`, 1);
  }
  const where = addresses.map((a) => (a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`));
  const serving = options.directory !== undefined ? `, serving ${options.directory}` : '';
  process.stderr.write(`wirehttp listening on ${where.join(' and ')}${serving}\n`);
  const stop = (): void => {
    void server.close(10_000).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  if (error instanceof CliError) {
    process.stderr.write(`wirehttp: ${error.message}\n`);
    process.exit(error.code);
  }
  process.stderr.write(`wirehttp: ${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
});
