// Shared test helpers: start the real CLI on an ephemeral port, talk raw TCP, parse responses.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/**
 * Starts `node ...nodeArgs dist/cli.js --port 0 ...args` (or another `script` taking the same
 * flags) and resolves once it listens.
 * Returns { port, proc, stderr(), stdout(), stop() }; stop() kills it by PID and waits.
 */
export async function startCli(args = [], { env = {}, script = CLI, nodeArgs = [] } = {}) {
  const proc = spawn(process.execPath, [...nodeArgs, script, '--port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  proc.stdout.on('data', (d) => (stdout += d));
  const startup = listeningPort(proc);
  const port = await startup.port;
  const stderr = startup.stderr;
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    port,
    proc,
    pid: proc.pid,
    exited,
    stderr,
    stdout: () => stdout,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, 'SIGKILL');
      await exited;
    },
  };
}

/**
 * Collects a server process's stderr and resolves `port` from its start-up line
 * ("listening on HOST:PORT"); rejects if the process exits first or after `timeoutMs`.
 * Returns { port: Promise<number>, stderr(): string }.
 */
export function listeningPort(proc, timeoutMs = 10_000) {
  let text = '';
  const port = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${text}`)), timeoutMs);
    proc.stderr.on('data', (d) => {
      text += d;
      const m = /listening on [^\n]*?:(\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${text}`));
    });
  });
  return { port, stderr: () => text };
}

/** Opens a TCP connection to 127.0.0.1:port (or `host`). */
export function connect(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host }, () => resolve(socket));
    socket.once('error', reject);
  });
}

const FIRST_BYTE_MS = 5000;

/**
 * Sends `data` (string, Buffer or array of pieces written separately) on a new connection
 * and collects everything until the server closes or `idleMs` passes without data (or, before
 * the first byte, FIRST_BYTE_MS if longer).
 * Resolves { raw: Buffer, closed: boolean }.
 */
export async function exchange(port, data, { idleMs = 500, host, delayMs = 0, end = false } = {}) {
  const socket = await connect(port, host);
  const chunks = [];
  let closed = false;
  const done = new Promise((resolve) => {
    // The first byte may be slow on a busy machine (a cold server, a durable write); once
    // answers flow, `idleMs` of silence ends the exchange.
    let timer = setTimeout(finish, Math.max(idleMs, FIRST_BYTE_MS));
    function finish() {
      socket.destroy();
      resolve();
    }
    socket.on('data', (d) => {
      chunks.push(d);
      clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    });
    socket.on('end', () => {
      closed = true;
      clearTimeout(timer);
      finish();
    });
    socket.on('error', () => {
      closed = true;
      clearTimeout(timer);
      finish();
    });
  });
  const pieces = Array.isArray(data) ? data : [data];
  for (const piece of pieces) {
    if (socket.destroyed) break;
    socket.write(piece);
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
  }
  if (end) socket.end();
  await done;
  return { raw: Buffer.concat(chunks), closed };
}

/**
 * Parses consecutive HTTP/1.1 responses from `raw` (Content-Length, chunked, or bodiless).
 * `headRequests` lists indexes of responses to HEAD requests (no body).
 * Each response: { status, reason, headers (lower-case keys; repeated joined by ", "), rawHeaders, body: Buffer }.
 */
export function parseResponses(raw, { headRequests = [] } = {}) {
  const responses = [];
  let pos = 0;
  while (pos < raw.length) {
    const headEnd = raw.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) throw new Error(`incomplete response head: ${JSON.stringify(raw.subarray(pos).toString('latin1'))}`);
    const lines = raw.subarray(pos, headEnd).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.1 (\d{3}) (.*)$/.exec(lines[0]);
    if (!m) throw new Error(`bad status line: ${JSON.stringify(lines[0])}`);
    const headers = {};
    const rawHeaders = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      rawHeaders.push([line.slice(0, colon), value]);
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    pos = headEnd + 4;
    const status = Number(m[1]);
    let body = Buffer.alloc(0);
    const bodiless = headRequests.includes(responses.length) || status < 200 || status === 204 || status === 304;
    if (!bodiless) {
      if (headers['transfer-encoding'] === 'chunked') {
        const parts = [];
        for (;;) {
          const lineEnd = raw.indexOf('\r\n', pos);
          const size = parseInt(raw.subarray(pos, lineEnd).toString('latin1'), 16);
          pos = lineEnd + 2;
          if (size === 0) {
            pos = raw.indexOf('\r\n', pos) + 2;
            break;
          }
          parts.push(raw.subarray(pos, pos + size));
          pos += size + 2;
        }
        body = Buffer.concat(parts);
      } else if (headers['content-length'] !== undefined) {
        const n = Number(headers['content-length']);
        body = raw.subarray(pos, pos + n);
        pos += n;
      } else if (headers.connection === 'close') {
        body = raw.subarray(pos);
        pos = raw.length;
      }
    }
    responses.push({ status, reason: m[2], headers, rawHeaders, body });
  }
  return responses;
}

/** Reads /proc/PID/status VmRSS in bytes (Linux). */
export async function rssOf(pid) {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}
