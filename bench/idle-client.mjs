// Opens N keep-alive connections to 127.0.0.1:PORT, sends one GET /echo/hello on each, waits for
// every response, prints "READY <open> <failed>" and then holds the connections until killed.
// Usage: node bench/idle-client.mjs PORT N
import net from 'node:net';

const port = Number(process.argv[2]);
const total = Number(process.argv[3]);
const CONNECTING_AT_ONCE = 256;
const REQUEST = 'GET /echo/hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
const sockets = [];
let failed = 0;

function openOne() {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    let answered = false;
    socket.setNoDelay(true);
    socket.once('connect', () => socket.write(REQUEST));
    socket.on('data', (chunk) => {
      // The echo response is a handful of bytes and arrives in one read.
      if (!answered && chunk.includes('hello')) {
        answered = true;
        sockets.push(socket);
        resolve();
      }
    });
    socket.once('error', () => {
      if (!answered) failed++;
      answered = true;
      resolve();
    });
    socket.once('close', () => {
      if (!answered) failed++;
      answered = true;
      resolve();
    });
  });
}

let next = 0;
async function worker() {
  while (next < total) {
    next++;
    await openOne();
  }
}
await Promise.all(Array.from({ length: CONNECTING_AT_ONCE }, worker));
const open = sockets.filter((socket) => !socket.destroyed).length;
process.stdout.write(`READY ${open} ${failed}\n`);
// Hold the connections until killed, or until the harness is gone (this process is re-parented).
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000);
process.once('SIGTERM', () => process.exit(0));
