// Checks, before anything is measured, that every server does the same work in each scenario:
// the expected status and exactly the expected body bytes, pipelining and uploads included.
import { readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { FILES } from './scenarios.mjs';
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

/**
 * Returns a list of problems (empty when the server behaves like the reference) for `scenario`.
 * `expected` holds the reference's GET bodies by path.
 */
async function verifyScenario(server, scenario, dir, expected) {
  const problems = [];
  if (scenario.kind === 'upload') {
    const body = Buffer.alloc(1024 * 1024, 'u');
    const name = `upload-check-${server.id}`;
    const response = await fetch(`http://127.0.0.1:${server.port}/files/${name}`, { method: server.uploadMethod, body });
    // nginx's DAV PUT answers 204 instead of 201 when it replaces an existing file
    if (response.status !== 201 && response.status !== 204) problems.push(`upload status ${response.status}`);
    await response.arrayBuffer();
    const stored = readFileSync(path.join(dir, name), { flag: 'r' });
    if (!stored.equals(body)) problems.push(`stored file differs (${stored.length} bytes)`);
    rmSync(path.join(dir, name), { force: true });
    return problems;
  }
  if (scenario.path === undefined) return problems;
  const { status, body } = await get(server.port, scenario.path);
  if (status !== 200) problems.push(`GET ${scenario.path}: status ${status}`);
  if (!body.equals(expected.get(scenario.path))) problems.push(`GET ${scenario.path}: body differs (${body.length} bytes)`);
  if (scenario.pipeline !== undefined) {
    const answered = await pipelinedResponses(server.port, scenario.path, scenario.pipeline);
    if (answered !== scenario.pipeline) problems.push(`pipelined ${scenario.pipeline}: ${answered} responses`);
  }
  return problems;
}

/**
 * Starts each server once and verifies every scenario; returns server id -> scenario ids it may
 * run. Throws when wirehttp or node:http answers any scenario wrongly.
 */
export async function verifyAll(serverIds, scenarios, dir, log) {
  const expected = new Map([['/echo/hello', Buffer.from('hello')]]);
  for (const name of Object.keys(FILES)) expected.set(`/files/${name}`, readFileSync(path.join(dir, name)));
  const allowed = new Map();
  for (const id of serverIds) {
    const server = await startServer(id, dir);
    const passed = [];
    try {
      for (const scenario of scenarios) {
        const problems = await verifyScenario(server, scenario, dir, expected).catch((error) => [error.message]);
        if (problems.length === 0) passed.push(scenario.id);
        else log(`verify: ${server.label} ${scenario.id}: ${problems.join('; ')}`);
      }
    } finally {
      await server.stop();
    }
    allowed.set(id, passed);
  }
  for (const id of ['wirehttp', 'node-http']) {
    const failed = scenarios.filter((s) => !allowed.get(id).includes(s.id)).map((s) => s.id);
    if (failed.length > 0) throw new Error(`${SERVERS[id].label} answers wrongly in: ${failed.join(', ')}`);
  }
  return allowed;
}
