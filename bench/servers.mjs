// Starts and stops the servers under test, each pinned to its CPU set with taskset.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processTree } from './proc-stats.mjs';
import { isUpload } from './scenarios.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The wirehttp CLI under test: this checkout's build, or another build via BENCH_CLI. */
export const CLI = path.resolve(process.env.BENCH_CLI ?? path.join(BENCH_DIR, '..', 'dist', 'cli.js'));
/** The library entry of the same build, for the fetch-handler (Hono) scenario. */
const LIBRARY = path.join(path.dirname(CLI), 'index.js');

function onPath(binary) {
  return spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).status === 0;
}

/**
 * wirehttp's CLI writes an access log by default; the references log nothing (nginx has
 * access_log off), so it runs with --quiet unless BENCH_ACCESS_LOG=1 asks to measure the log too.
 */
function wirehttpQuietArgs() {
  if (process.env.BENCH_ACCESS_LOG === '1') return [];
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout ?? '';
  return help.includes('--quiet') ? ['--quiet'] : [];
}
let quietArgs = null;

/** Writes an nginx config for `port` and `dir` into a fresh prefix directory; returns its path. */
function nginxConfig(port, dir) {
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'wirehttp-bench-nginx-'));
  mkdirSync(path.join(dir, '.nginx-body'), { recursive: true });
  const isRoot = process.getuid?.() === 0;
  const openFilesLimit = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? '1024';
  const config = readFileSync(path.join(BENCH_DIR, 'nginx.conf.template'), 'utf8')
    .replaceAll('{{USER}}', isRoot ? 'user root;' : '')
    .replaceAll('{{OPEN_FILES}}', openFilesLimit)
    .replaceAll('{{PREFIX}}', prefix)
    .replaceAll('{{DIR}}', dir)
    .replaceAll('{{PORT}}', String(port));
  writeFileSync(path.join(prefix, 'nginx.conf'), config);
  return prefix;
}

/**
 * The floor server's answer to `scenario`, written once to a file in `dir`: the same status and
 * body bytes the other servers give. Returns [response file, head ends per request, body bytes].
 */
function floorResponse(dir, scenario) {
  const responses = path.join(dir, '.floor-responses');
  mkdirSync(responses, { recursive: true });
  const file = path.join(responses, `${scenario.id}.http`);
  let head = 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n';
  let body = Buffer.alloc(0);
  if (!isUpload(scenario)) {
    const isFile = scenario.path.startsWith('/files/');
    body = isFile ? readFileSync(path.join(dir, scenario.path.slice('/files/'.length))) : Buffer.from('hello');
    const type = isFile ? 'application/octet-stream' : 'text/plain';
    head = `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`;
  }
  if (!existsSync(file)) writeFileSync(file, Buffer.concat([Buffer.from(head, 'latin1'), body]));
  return scenario.kind === 'chunked' ? [file, 2, 0] : [file, 1, scenario.kind === 'upload' ? scenario.bodyBytes : 0];
}

/** True when the build's library entry exports `serve` (checked in a child: importing it here would load it for good). */
function libraryExportsServe() {
  const probe = `import(${JSON.stringify(pathToFileURL(LIBRARY).href)}).then((m) => process.exit(typeof m.serve === 'function' ? 0 : 1), () => process.exit(1))`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', probe]).status === 0;
}

const honoInstalled = () => existsSync(path.join(BENCH_DIR, '..', 'node_modules', 'hono')) && existsSync(path.join(BENCH_DIR, '..', 'node_modules', '@hono', 'node-server'));
const plainScenario = (scenario) => scenario.app === undefined;
const drainScenario = (scenario) => scenario.app === 'drain';

function honoWirehttpUnavailable() {
  if (!honoInstalled()) return 'hono and @hono/node-server are not installed (npm ci)';
  return libraryExportsServe() ? null : `this wirehttp build (${LIBRARY}) does not export serve(), the fetch-handler adapter`;
}

/**
 * The servers, in table order. `command(port, dir, extraArgs, scenario)` returns argv (and an
 * optional cleanup); `runs(scenario)` says which scenarios a server takes part in;
 * `uploadMethod` is the method the server stores a request body with; `stores: false` marks
 * a server that reads upload bodies without storing them; `unavailable()` says why a server
 * cannot run (null when it can).
 */
export const SERVERS = {
  wirehttp: {
    label: 'wirehttp',
    unavailable: () => (existsSync(CLI) ? null : `no wirehttp build at ${CLI}`),
    runs: plainScenario,
    command: (port, dir, extraArgs = []) => {
      quietArgs ??= wirehttpQuietArgs();
      return { argv: [process.execPath, CLI, '--port', String(port), '--directory', dir, ...quietArgs, ...extraArgs] };
    },
    uploadMethod: 'POST',
  },
  'node-http': {
    label: 'node:http',
    unavailable: () => null,
    runs: plainScenario,
    command: (port, dir) => ({
      argv: [process.execPath, path.join(BENCH_DIR, 'reference-node-http.mjs'), String(port), dir],
    }),
    uploadMethod: 'POST',
  },
  'node-http-durable': {
    label: 'node:http durable',
    unavailable: () => null,
    runs: (scenario) => isUpload(scenario) && plainScenario(scenario),
    command: (port, dir) => ({
      argv: [process.execPath, path.join(BENCH_DIR, 'reference-node-http.mjs'), String(port), dir, 'durable'],
    }),
    uploadMethod: 'POST',
  },
  'node-http-drain': {
    label: 'node:http drain only',
    unavailable: () => null,
    runs: drainScenario,
    command: (port, dir) => ({
      argv: [process.execPath, path.join(BENCH_DIR, 'reference-node-http.mjs'), String(port), dir, 'drain'],
    }),
    uploadMethod: 'POST',
    stores: false,
  },
  'library-drain': {
    label: 'wirehttp library, drain only',
    unavailable: () => (existsSync(LIBRARY) ? null : `no wirehttp build at ${LIBRARY}`),
    runs: drainScenario,
    command: (port) => ({ argv: [process.execPath, path.join(BENCH_DIR, 'reference-library-drain.mjs'), String(port), LIBRARY] }),
    uploadMethod: 'POST',
    stores: false,
  },
  floor: {
    label: 'floor',
    unavailable: () => null,
    runs: (scenario) => (plainScenario(scenario) || drainScenario(scenario) || scenario.app === 'hono') && scenario.kind !== 'workers',
    perScenario: true,
    command: (port, dir, extraArgs, scenario) => {
      if (scenario.app === 'hono') return { argv: [process.execPath, path.join(BENCH_DIR, 'reference-hono-floor.mjs'), String(port), dir] };
      const [file, perRequest, bodyBytes] = floorResponse(dir, scenario);
      return { argv: [process.execPath, path.join(BENCH_DIR, 'reference-floor.mjs'), String(port), file, String(perRequest), String(bodyBytes)] };
    },
    uploadMethod: 'POST',
    stores: false,
  },
  nginx: {
    label: 'nginx',
    unavailable: () => (onPath('nginx') ? null : 'nginx is not installed'),
    runs: plainScenario,
    command: (port, dir) => {
      const prefix = nginxConfig(port, dir);
      return {
        argv: ['nginx', '-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-e', 'stderr'],
        cleanup: () => rmSync(prefix, { recursive: true, force: true }),
      };
    },
    uploadMethod: 'PUT',
  },
  bun: {
    label: 'Bun.serve',
    unavailable: () => (onPath('bun') ? null : 'bun is not installed'),
    runs: plainScenario,
    command: (port, dir) => ({ argv: ['bun', path.join(BENCH_DIR, 'reference-bun.mjs'), String(port), dir] }),
    uploadMethod: 'POST',
  },
  'hono-node': {
    label: 'Hono on @hono/node-server (defaults: global Request/Response replaced)',
    unavailable: () => (honoInstalled() ? null : 'hono and @hono/node-server are not installed (npm ci)'),
    runs: (scenario) => scenario.app === 'hono',
    command: (port, dir) => ({ argv: [process.execPath, path.join(BENCH_DIR, 'reference-hono.mjs'), String(port), dir, 'node'] }),
    uploadMethod: 'POST',
  },
  'hono-node-native': {
    label: 'Hono on @hono/node-server, overrideGlobalObjects: false',
    unavailable: () => (honoInstalled() ? null : 'hono and @hono/node-server are not installed (npm ci)'),
    runs: (scenario) => scenario.app === 'hono',
    command: (port, dir) => ({ argv: [process.execPath, path.join(BENCH_DIR, 'reference-hono.mjs'), String(port), dir, 'node-native'] }),
    uploadMethod: 'POST',
  },
  'hono-wirehttp': {
    label: 'Hono on wirehttp serve() (defaults: globals untouched)',
    unavailable: honoWirehttpUnavailable,
    runs: (scenario) => scenario.app === 'hono',
    command: (port, dir) => ({
      argv: [process.execPath, path.join(BENCH_DIR, 'reference-hono.mjs'), String(port), dir, 'wirehttp', LIBRARY],
    }),
    uploadMethod: 'POST',
  },
  'hono-wirehttp-light': {
    label: 'Hono on wirehttp serve(), overrideGlobalObjects: true',
    unavailable: honoWirehttpUnavailable,
    runs: (scenario) => scenario.app === 'hono',
    command: (port, dir) => ({
      argv: [process.execPath, path.join(BENCH_DIR, 'reference-hono.mjs'), String(port), dir, 'wirehttp-light', LIBRARY],
    }),
    uploadMethod: 'POST',
  },
};

/** Server processes started and not yet exited, so an interrupted run can stop them. */
const running = new Set();

/** SIGKILLs every server this process started that is still running, with its workers. */
export function killRunningServers() {
  for (const proc of running) {
    for (const pid of processTree(proc.pid).reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

/** A port nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts server `id` on a free port, pinned with `taskset -c cpus`; resolves once it accepts
 * connections. taskset execs the server, so the returned pid is the server process itself.
 */
export async function startServer(id, dir, { cpus = '1', extraArgs = [], env = {}, scenario } = {}) {
  const server = SERVERS[id];
  const port = await freePort();
  const { argv, cleanup } = server.command(port, dir, extraArgs, scenario);
  const proc = spawn('taskset', ['-c', cpus, ...argv], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let stderr = '';
  proc.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 10_000;
  while (!(await canConnect(port))) {
    if (proc.exitCode !== null || proc.signalCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      cleanup?.();
      throw new Error(`${server.label} did not start: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    id,
    label: server.label,
    port,
    pid: proc.pid,
    uploadMethod: server.uploadMethod,
    stores: server.stores !== false,
    stderr: () => stderr,
    /** SIGTERM, then SIGKILL after 3 s; resolves with the server's stderr once it has exited. */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      cleanup?.();
      return stderr;
    },
  };
}
