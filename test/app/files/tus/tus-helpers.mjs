// Helpers for the tus tests: a cutting proxy, raw tus requests, a served folder.
import { mkdirSync, mkdtempSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A fresh served directory with an `in/` folder. */
export function servedDir() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-tus-'));
  mkdirSync(path.join(root, 'in'));
  return root;
}

/**
 * A TCP proxy to 127.0.0.1:`target` that counts the bytes clients send and, once more than
 * `cutAfter` have passed, destroys every connection and refuses new ones (a network drop).
 * Resolves { port, sent(), cut(), close() }.
 */
export async function proxy(target, { cutAfter = Infinity } = {}) {
  let sent = 0;
  let down = false;
  const sockets = new Set();
  const server = net.createServer((client) => {
    if (down) return client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (data) => {
      if (down) return drop();
      sent += data.length;
      if (sent > cutAfter) {
        down = true;
        for (const socket of sockets) socket.destroy();
        return;
      }
      if (!upstream.write(data)) client.pause();
    });
    upstream.on('drain', () => client.resume());
    upstream.on('data', (data) => client.write(data));
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    sent: () => sent,
    isCut: () => down,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One request on its own connection; resolves { status, headers, body: Buffer }. */
export function request(port, method, target, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers, agent: false }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const TUS = { 'Tus-Resumable': '1.0.0' };
export const PATCH_TYPE = { 'Content-Type': 'application/offset+octet-stream' };

export function metadata(pairs) {
  return Object.entries(pairs)
    .map(([key, value]) => (value === null ? key : `${key} ${Buffer.from(value).toString('base64')}`))
    .join(',');
}

/** Creates an upload of `length` bytes named `filename` in `folder`; resolves its URL path. */
export async function create(port, folder, filename, length, headers = {}) {
  const res = await request(port, 'POST', folder, {
    headers: { ...TUS, 'Upload-Length': String(length), 'Upload-Metadata': metadata({ filename }), ...headers },
  });
  if (res.status !== 201) throw new Error(`create: ${res.status} ${res.body}`);
  return res.headers.location;
}

export function patch(port, url, offset, body, headers = {}) {
  return request(port, 'PATCH', url, { headers: { ...TUS, ...PATCH_TYPE, 'Upload-Offset': String(offset), ...headers }, body });
}
