import { createRequire } from 'node:module';
import type tlsModule from 'node:tls';

/**
 * node:tls, loaded with `require`. An ESM import of a built-in module copies every export into
 * its namespace, and reading `rootCertificates` builds the 146 PEM strings of Node's CA store:
 * ~200 KiB of heap in every process that loads wirehttp, serving TLS or not (a heap snapshot
 * after `import 'wirehttp'` held them; test/server/node-tls.test.mjs).
 */
export const tls = createRequire(import.meta.url)('node:tls') as typeof tlsModule;
