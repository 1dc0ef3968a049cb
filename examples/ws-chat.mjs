// A WebSocket chat room with `ws` on wirehttp: every message goes to everyone connected.
// Plain HTTP requests get a tiny page that joins the room.
//   node examples/ws-chat.mjs   then open http://localhost:3000/ in two browser tabs
import { WebSocketServer } from 'ws';
import { createServer } from 'wirehttp';

const PAGE = `<!doctype html><meta charset="utf-8"><title>chat</title>
<ul id="log"></ul><form><input id="text" autocomplete="off"><button>Send</button></form>
<script type="module">
const ws = new WebSocket(location.href.replace(/^http/, 'ws') + 'chat');
ws.onmessage = (e) => document.querySelector('#log').append(Object.assign(document.createElement('li'), { textContent: e.data }));
document.querySelector('form').onsubmit = (e) => { e.preventDefault(); ws.send(document.querySelector('#text').value); document.querySelector('#text').value = ''; };
</script>`;

const server = createServer((_req, res) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(PAGE);
});

const room = new WebSocketServer({ noServer: true });
room.on('connection', (ws) => {
  ws.on('message', (data) => {
    for (const client of room.clients) client.send(data.toString());
  });
});

// As with node:http: the request, the raw socket, and the bytes read past the request head.
server.on('upgrade', (req, socket, head) => {
  if (req.url !== '/chat') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  room.handleUpgrade(req, socket, head, (ws) => room.emit('connection', ws, req));
});

const [address] = await server.listen({ port: Number(process.env.PORT ?? 3000) });
console.error(`listening on ${address.host}:${address.port}`);
process.once('SIGTERM', () => server.close(5_000));
