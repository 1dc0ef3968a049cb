// Checks, before anything is measured, that every server does the same work in each scenario:
// the expected status and exactly the expected body bytes, pipelining, uploads (stored byte for
// byte, chunked ones included) and the Hono app's routes.
import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FILES, HONO_ANSWERS, isUpload } from './scenarios.mjs';
import { SERVERS, startServer } from './servers.mjs';

async function get(port, urlPath) {
  const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

/** Sends `depth` pipelined GETs in one write and counts the status lines that come back. */
function pipelinedResponses(port, urlPath, depth) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const request = `GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    let received = '';
    const count = () => received.split('HTTP/1.1 200 ').length - 1;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(count());
    }, 2000);
    socket.once('connect', () => socket.write(request.repeat(depth)));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      if (count() >= depth) {
        clearTimeout(timer);
        socket.destroy();
        resolve(count());
      }
    });
    socket.once('error', reject);
  });
}

/** Sends `body` chunked in pieces of `chunkBytes` over a raw socket; resolves the status code. */
function chunkedUpload(port, method, urlPath, body, chunkBytes) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const pieces = [`${method} ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n`];
    for (let at = 0; at < body.length; at += chunkBytes) {
      const chunk = body.subarray(at, at + chunkBytes);
      pieces.push(`${chunk.length.toString(16)}\r\n${chunk.toString('latin1')}\r\n`);
    }
    pieces.push('0\r\n\r\n');
    let received = '';
    const done = (error, status) => {
      clearTimeout(timer);
      socket.destroy();
      if (error === null) resolve(status);
      else reject(error);
    };
    const timer = setTimeout(() => done(new Error('no answer to a chunked upload within 30 s')), 30_000);
    socket.once('connect', () => socket.write(pieces.join(''), 'latin1'));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(received.slice(0, headEnd))?.[1] ?? 0);
      if (received.length >= headEnd + 4 + length) done(null, Number(/^HTTP\/1\.1 (\d{3}) /.exec(received)?.[1] ?? 0));
    });
    socket.once('close', () => done(new Error('the connection closed before a whole response')));
    socket.once('error', (error) => done(error));
  });
}

/** Problems with an upload of `body` (as the scenario sends it) to `name`. */
async function verifyUpload(server, scenario, dir) {
  const problems = [];
  const name = `upload-check-${server.id}-${scenario.id}`;
  let status;
  let body;
  if (scenario.kind === 'chunked') {
    // 16 KiB is enough to show the framing is understood without measuring anything yet.
    body = Buffer.alloc(16 * 1024, 'u');
    status = await chunkedUpload(server.port, server.uploadMethod, `/files/${name}`, body, scenario.chunkBytes);
  } else {
    body = Buffer.alloc(scenario.bodyBytes, 'u');
    const response = await fetch(`http://127.0.0.1:${server.port}/files/${name}`, { method: server.uploadMethod, body });
    status = response.status;
    await response.arrayBuffer();
  }
  // nginx's DAV PUT answers 204 instead of 201 when it replaces an existing file
  if (status !== 201 && status !== 204) problems.push(`upload status ${status}`);
  if (!server.stores) return problems; // the floor and the drain-only servers store nothing, by design
  let stored = Buffer.alloc(0);
  try {
    stored = readFileSync(path.join(dir, name));
  } catch {
    problems.push('nothing stored');
  }
  if (stored.length > 0 && !stored.equals(body)) problems.push(`stored file differs (${stored.length} bytes)`);
  rmSync(path.join(dir, name), { force: true });
  return problems;
}

/** Problems with GET `urlPath` answering `expected`. */
async function verifyGet(server, urlPath, expected) {
  const { status, body } = await get(server.port, urlPath);
  const problems = [];
  if (status !== 200) problems.push(`GET ${urlPath}: status ${status}`);
  if (!body.equals(expected)) problems.push(`GET ${urlPath}: body differs (${body.length} bytes)`);
  return problems;
}

/** Returns a list of problems (empty when the server behaves as expected) for `scenario`. */
async function verifyScenario(server, scenario, dir, expected) {
  if (isUpload(scenario)) return verifyUpload(server, scenario, dir);
  if (scenario.app === 'hono') {
    const problems = [];
    for (const [urlPath, answer] of Object.entries(HONO_ANSWERS)) {
      const body = answer.file === undefined ? Buffer.from(answer.text) : expected.get(`/files/${answer.file}`);
      problems.push(...(await verifyGet(server, urlPath, body)));
    }
    return problems;
  }
  const problems = await verifyGet(server, scenario.path, expected.get(scenario.path));
  if (scenario.pipeline !== undefined) {
    const answered = await pipelinedResponses(server.port, scenario.path, scenario.pipeline);
    if (answered !== scenario.pipeline) problems.push(`pipelined ${scenario.pipeline}: ${answered} responses`);
  }
  return problems;
}

/**
 * Verifies every scenario on every server that runs it (a server started once, or once per
 * scenario when its answers depend on the scenario, as the floor's do); returns server id ->
 * scenario ids it may run. Throws when wirehttp, a node:http reference, the floor or Hono on
 * @hono/node-server answers any scenario wrongly.
 */
export async function verifyAll(serverIds, scenarios, dir, log) {
  const expected = new Map([['/echo/hello', Buffer.from('hello')]]);
  for (const name of Object.keys(FILES)) expected.set(`/files/${name}`, readFileSync(path.join(dir, name)));
  const allowed = new Map();
  for (const id of serverIds) {
    const own = scenarios.filter((s) => SERVERS[id].runs(s) && s.kind !== 'workers');
    const groups = SERVERS[id].perScenario ? own.map((s) => [s]) : own.length > 0 ? [own] : [];
    const passed = [];
    for (const group of groups) {
      const server = await startServer(id, dir, { scenario: group[0] });
      try {
        for (const scenario of group) {
          const problems = await verifyScenario(server, scenario, dir, expected).catch((error) => [error.message]);
          if (problems.length === 0) passed.push(scenario.id);
          else log(`verify: ${server.label} ${scenario.id}: ${problems.join('; ')}`);
        }
      } finally {
        await server.stop();
      }
    }
    if (scenarios.some((s) => s.kind === 'workers') && id === 'wirehttp') passed.push(...scenarios.filter((s) => s.kind === 'workers').map((s) => s.id));
    allowed.set(id, passed);
  }
  // A reference or the CLI answering wrongly makes the whole run meaningless; Hono on wirehttp
  // answering wrongly only takes it out of its scenario (run.mjs lists it as skipped).
  for (const id of ['wirehttp', 'node-http', 'node-http-durable', 'node-http-drain', 'library-drain', 'floor', 'hono-node'].filter((key) => allowed.has(key))) {
    const failed = scenarios.filter((s) => SERVERS[id].runs(s) && s.kind !== 'workers' && !allowed.get(id).includes(s.id)).map((s) => s.id);
    if (failed.length > 0) throw new Error(`${SERVERS[id].label} answers wrongly in: ${failed.join(', ')}`);
  }
  return allowed;
}
