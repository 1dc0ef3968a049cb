// One small Hono app (a JSON route with a parameter, a text route, a 4 KiB static file) served
// by @hono/node-server or by wirehttp's `serve({ fetch })`: the same app object, one import apart.
// Usage: node bench/reference-hono.mjs PORT DIRECTORY ADAPTER [WIREHTTP_INDEX_JS], ADAPTER one of
//   node            @hono/node-server with its defaults (it replaces the global Request and Response)
//   node-native     @hono/node-server with overrideGlobalObjects: false (the platform's classes)
//   wirehttp        wirehttp's serve() with its defaults (globals untouched)
//   wirehttp-light  wirehttp's serve() with overrideGlobalObjects: true (a light global Response)
// With wirehttp*, a build whose index exports no `serve` function exits with status 3 and says
// so: the scenario is then skipped, never run on something else.
import { serve as nodeServe } from '@hono/node-server';
import { pathToFileURL } from 'node:url';
import { makeHonoApp } from './hono-app.mjs';

const [port, directory, adapter, wirehttpIndex] = process.argv.slice(2);

const app = makeHonoApp(directory);

let serve = nodeServe;
if (adapter.startsWith('wirehttp')) {
  ({ serve } = await import(pathToFileURL(wirehttpIndex).href));
  if (typeof serve !== 'function') {
    process.stderr.write(`${wirehttpIndex} exports no serve() function\n`);
    process.exit(3);
  }
}
const overrideGlobalObjects = { node: true, 'node-native': false, wirehttp: false, 'wirehttp-light': true }[adapter];
if (overrideGlobalObjects === undefined) throw new Error(`unknown adapter ${adapter}`);
serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1', overrideGlobalObjects });
process.stderr.write(`hono on ${adapter} listening on 127.0.0.1:${port}\n`);
