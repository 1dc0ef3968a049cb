// The Bun.serve reference server (used only when a `bun` binary is on PATH).
// Usage: bun bench/reference-bun.mjs PORT DIRECTORY
/* global Bun */
import path from 'node:path';

const port = Number(process.argv[2]);
const directory = process.argv[3];

Bun.serve({
  port,
  hostname: '127.0.0.1',
  async fetch(req) {
    const { pathname } = new URL(req.url);
    if (req.method === 'GET' && pathname.startsWith('/echo/')) {
      return new Response(decodeURIComponent(pathname.slice('/echo/'.length)), {
        headers: { 'Content-Type': 'text/plain' },
      });
    }
    if (pathname.startsWith('/files/')) {
      const name = decodeURIComponent(pathname.slice('/files/'.length));
      if (name.includes('/') || name.startsWith('.')) return new Response('Not Found', { status: 404 });
      const file = Bun.file(path.join(directory, name));
      if (req.method === 'GET') {
        if (!(await file.exists())) return new Response('Not Found', { status: 404 });
        return new Response(file, { headers: { 'Content-Type': 'application/octet-stream' } });
      }
      if (req.method === 'POST') {
        await Bun.write(file, req);
        return new Response(null, { status: 201 });
      }
    }
    return new Response('Not Found', { status: 404 });
  },
});
process.stderr.write(`bun listening on 127.0.0.1:${port}\n`);
