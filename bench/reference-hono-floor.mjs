// The Hono scenario's floor: the least a Node server can spend around the same Hono app. It
// parses nothing but each request head's target (every request is a GET without a body), hands
// the app a plain object with `url`, `method` and an empty `headers`, keeps what the app passes
// to `new Response()` instead of building the platform's object (the global is replaced, as
// @hono/node-server does by default), reads a stream body to its end, and writes each answer
// with a Content-Length only, in one write, in order.
// Usage: node bench/reference-hono-floor.mjs PORT DIRECTORY
import net from 'node:net';
import { makeHonoApp } from './hono-app.mjs';

const [port, directory] = process.argv.slice(2);

/** The body and init the app built its response from; `instanceof Response` still holds. */
class HeldResponse {
  constructor(body, init) {
    this.held = body ?? null;
    this.init = init;
  }
}
Object.setPrototypeOf(HeldResponse.prototype, globalThis.Response.prototype);
globalThis.Response = HeldResponse;

const app = makeHonoApp(directory);
const NO_HEADERS = new Headers();

async function answer(target) {
  const response = await app.fetch({ url: `http://127.0.0.1${target}`, method: 'GET', headers: NO_HEADERS });
  let body = response.held;
  if (body instanceof ReadableStream) {
    const parts = [];
    for await (const part of body) parts.push(part);
    body = Buffer.concat(parts);
  } else if (typeof body === 'string') {
    body = Buffer.from(body);
  }
  const head = `HTTP/1.1 ${response.init?.status ?? 200} OK\r\nContent-Length: ${body.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

net.createServer((socket) => {
  let tail = '';
  let previous = Promise.resolve();
  socket.on('data', (chunk) => {
    const data = tail + chunk.toString('latin1');
    let at = 0;
    for (let end = data.indexOf('\r\n\r\n'); end !== -1; end = data.indexOf('\r\n\r\n', at)) {
      const target = data.slice(data.indexOf(' ', at) + 1, data.indexOf(' HTTP/1.1', at));
      at = end + 4;
      const answered = answer(target);
      previous = previous.then(() => answered).then((bytes) => socket.write(bytes));
    }
    tail = data.slice(at);
  });
  socket.on('error', () => socket.destroy());
}).listen(Number(port), '127.0.0.1');
