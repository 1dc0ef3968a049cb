// Starts the file server the shared file-server tests run against: the CLI, or — with
// WIREHTTP_TEST_FILES=library (library-mount.test.mjs) — serveFiles under a library router.
import { fileURLToPath } from 'node:url';
import { startCli } from '../../helpers.mjs';

const LIBRARY = fileURLToPath(new URL('./fixtures/library-files.mjs', import.meta.url));

/** True when the tests run against the library mount: tests of the CLI's other routes skip. */
export const libraryMount = process.env.WIREHTTP_TEST_FILES === 'library';

/** Like startCli(args), for the flags both servers take: --directory and --hidden. */
export function startFileServer(args) {
  return libraryMount ? startCli(args, { script: LIBRARY }) : startCli(args);
}
