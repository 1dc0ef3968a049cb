// Helpers for the access-control end-to-end tests: one request per connection, htpasswd hashes.
import { execFileSync } from 'node:child_process';
import { exchange, parseResponses } from '../helpers.mjs';

/** Sends one request (Connection: close) and resolves with the parsed response. */
export async function call(port, method, target, headers = {}, body = '') {
  const fields = { Host: `localhost:${port}`, ...headers };
  if (body !== '' || method === 'POST' || method === 'PUT') fields['Content-Length'] = Buffer.byteLength(body);
  const head = `${method} ${target} HTTP/1.1\r\n${Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}Connection: close\r\n\r\n`;
  const { raw } = await exchange(port, head + body, { idleMs: 5000 });
  const [res] = parseResponses(raw, { headRequests: method === 'HEAD' ? [0] : [] });
  return res;
}

/** The value of an Authorization header for `user:password`. */
export function basic(user, password) {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** A bcrypt hash made by Apache's `htpasswd -nbB`. */
export function htpasswd(user, password) {
  const line = execFileSync('htpasswd', ['-nbB', user, password], { encoding: 'utf8' }).trim();
  return line.slice(line.indexOf(':') + 1);
}
