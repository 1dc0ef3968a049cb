// One measurement: a fresh server, a warm-up, then wrk (or the idle-connection client) while
// the server's CPU time and memory are read from /proc.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMicros, otherProcessesCpuMicros, peakRssKib, resetPeakRss, rssKib } from './proc-stats.mjs';
import { startServer } from './servers.mjs';
import { runWrk } from './wrk.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SERVER_CPU = '1';
export const CLIENT_CPU = '0';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `scenario` with wrk against a freshly started server `id`.
 * `placement` overrides the CPUs (server `cpus`, wrk `clientCpus`, wrk `threads`) and adds CLI args.
 */
export async function measureLoad(scenario, id, dir, { seconds, warmupSeconds }, placement = {}) {
  const { cpus = SERVER_CPU, clientCpus = CLIENT_CPU, threads = 1, extraArgs = [] } = placement;
  const server = await startServer(id, dir, { cpus, extraArgs });
  try {
    const wrkOptions = {
      url: `http://127.0.0.1:${server.port}${scenario.path}`,
      script: scenario.script,
      connections: scenario.connections,
      cpus: clientCpus,
      threads,
      env: { BENCH_UPLOAD_METHOD: server.uploadMethod, BENCH_PIPELINE_DEPTH: String(scenario.pipeline ?? 1) },
    };
    await runWrk({ ...wrkOptions, seconds: warmupSeconds });
    await sleep(200);
    resetPeakRss(server.pid);
    const cpuBefore = cpuMicros(server.pid);
    const othersBefore = otherProcessesCpuMicros();
    const startedAt = performance.now();
    const result = await runWrk({ ...wrkOptions, seconds });
    await sleep(100); // let the server finish the responses in flight when wrk stopped
    const cpuUsed = cpuMicros(server.pid) - cpuBefore;
    const othersUsed = otherProcessesCpuMicros() - othersBefore;
    const elapsedMicros = (performance.now() - startedAt) * 1000;
    const { p50, p99, max } = result.latencyUs;
    return {
      requests: result.requests,
      requestsPerSecond: result.requests / (result.durationUs / 1e6),
      cpuMicrosPerRequest: cpuUsed / result.requests,
      // wrk reports 0 for a percentile its scan misses (see lua/report.lua): unavailable, not 0
      p50Micros: p50 > 0 ? p50 : NaN,
      p99Micros: p99 > 0 && p99 >= p50 ? p99 : NaN,
      maxMicros: max,
      peakRssKib: peakRssKib(server.pid),
      // CPU the rest of the machine used meanwhile, in % of one CPU: the noise this run had
      otherLoadPercent: (100 * Math.max(0, othersUsed)) / elapsedMicros,
      errors: result.errors,
    };
  } finally {
    await server.stop();
  }
}

/** Waits for the idle client's "READY open failed" line. */
function whenReady(client) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('the idle-connection client did not finish within 60 s')), 60_000);
    client.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /READY (\d+) (\d+)/.exec(output);
      if (match === null) return;
      clearTimeout(timer);
      resolve({ open: Number(match[1]), failed: Number(match[2]) });
    });
    client.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the idle-connection client exited with ${code}`));
    });
  });
}

/** Server RSS growth per connection while `idleConnections` keep-alive connections are held. */
export async function measureIdle(id, dir, { warmupSeconds, idleConnections }) {
  const server = await startServer(id, dir, { cpus: SERVER_CPU });
  let client = null;
  try {
    await runWrk({ url: `http://127.0.0.1:${server.port}/echo/hello`, script: 'get.lua', connections: 64, seconds: warmupSeconds });
    await sleep(1000);
    const rssBeforeKib = rssKib(server.pid);
    const clientArgs = [process.execPath, path.join(BENCH_DIR, 'idle-client.mjs'), String(server.port), String(idleConnections)];
    client = spawn('taskset', ['-c', CLIENT_CPU, ...clientArgs], { stdio: ['ignore', 'pipe', 'inherit'] });
    const startedAt = performance.now();
    const { open, failed } = await whenReady(client);
    const openingMillis = performance.now() - startedAt;
    await sleep(300);
    const rssAfterKib = rssKib(server.pid);
    return { open, failed, openingMillis, rssBeforeKib, rssAfterKib, kibPerConnection: (rssAfterKib - rssBeforeKib) / open };
  } finally {
    if (client !== null && client.exitCode === null) {
      const exited = new Promise((resolve) => client.once('exit', resolve));
      client.kill('SIGTERM');
      await exited;
    }
    await server.stop();
  }
}
