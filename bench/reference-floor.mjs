// The floor: the least a Node server can spend per request. It parses nothing: it counts head
// ends ("\r\n\r\n"; PER_REQUEST of them make one request, 2 for a chunked body's last chunk),
// skips BODY_BYTES after each request's head, and answers with the fixed bytes of RESPONSE_FILE.
// Usage: node bench/reference-floor.mjs PORT RESPONSE_FILE PER_REQUEST BODY_BYTES
import { readFileSync } from 'node:fs';
import net from 'node:net';

const [port, perRequest, bodyBytes] = [2, 4, 5].map((i) => Number(process.argv[i]));
const response = readFileSync(process.argv[3]);
net.createServer((socket) => {
  let tail = Buffer.alloc(0), ends = 0, skip = 0;
  socket.on('data', (chunk) => {
    const data = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    let at = 0, answers = 0;
    for (;;) {
      if (skip > 0) { const n = Math.min(skip, data.length - at); skip -= n; at += n; if (skip > 0) break; answers++; }
      const end = data.indexOf('\r\n\r\n', at);
      if (end < 0) break;
      at = end + 4;
      if (++ends % perRequest !== 0) continue;
      skip = bodyBytes;
      if (skip === 0) answers++;
    }
    tail = skip > 0 ? Buffer.alloc(0) : Buffer.from(data.subarray(Math.max(at, data.length - 3)));
    if (answers > 0) socket.write(answers === 1 ? response : Buffer.concat(Array(answers).fill(response)));
  });
  socket.on('error', () => socket.destroy());
}).listen(port, '127.0.0.1');
