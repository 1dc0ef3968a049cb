// Starts and stops the servers under test, each pinned to its CPU set with taskset.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processTree } from './proc-stats.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
/** The wirehttp CLI under test: this checkout's build, or another build via BENCH_CLI. */
export const CLI = path.resolve(process.env.BENCH_CLI ?? path.join(BENCH_DIR, '..', 'dist', 'cli.js'));

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
 * The servers, in table order. `command` returns argv (and an optional cleanup);
 * `uploadMethod` is the method the server stores a request body with.
 */
export const SERVERS = {
  wirehttp: {
    label: 'wirehttp',
    available: () => existsSync(CLI),
    command: (port, dir, extraArgs = []) => {
      quietArgs ??= wirehttpQuietArgs();
      return { argv: [process.execPath, CLI, '--port', String(port), '--directory', dir, ...quietArgs, ...extraArgs] };
    },
    uploadMethod: 'POST',
  },
  'node-http': {
    label: 'node:http',
    available: () => true,
    command: (port, dir) => ({
      argv: [process.execPath, path.join(BENCH_DIR, 'reference-node-http.mjs'), String(port), dir],
    }),
    uploadMethod: 'POST',
  },
  nginx: {
    label: 'nginx',
    available: () => onPath('nginx'),
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
    available: () => onPath('bun'),
    command: (port, dir) => ({ argv: ['bun', path.join(BENCH_DIR, 'reference-bun.mjs'), String(port), dir] }),
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
function freePort() {
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
export async function startServer(id, dir, { cpus = '1', extraArgs = [], env = {} } = {}) {
  const server = SERVERS[id];
  const port = await freePort();
  const { argv, cleanup } = server.command(port, dir, extraArgs);
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
