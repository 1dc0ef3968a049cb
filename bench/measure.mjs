// One measurement: a fresh server, a warm-up, then the load (wrk, the chunked-upload client or
// the idle-connection client) while the server's CPU time and memory are read from /proc.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuMicros, exitedChildrenCpuMicros, otherProcessesCpuMicros, peakRssKib, resetPeakRss, rssKib } from './proc-stats.mjs';
import { startServer } from './servers.mjs';
import { runChunkedClient, runWrk } from './wrk.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SERVER_CPU = '1';
export const CLIENT_CPU = '0';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the scenario's load generator once against `server` for `seconds`. */
function generateLoad(scenario, server, options, seconds, { clientCpus, threads }) {
  if (scenario.kind === 'chunked') {
    return runChunkedClient({
      port: server.port,
      method: server.uploadMethod,
      bodyBytes: scenario.bodyBytes,
      chunkBytes: scenario.chunkBytes,
      connections: scenario.connections,
      seconds,
      maxWaitSeconds: options.chunkedWaitSeconds,
      cpus: clientCpus,
    });
  }
  return runWrk({
    url: `http://127.0.0.1:${server.port}${scenario.path ?? '/'}`,
    script: scenario.script,
    connections: scenario.connections,
    cpus: clientCpus,
    threads,
    seconds,
    env: { BENCH_UPLOAD_METHOD: server.uploadMethod, BENCH_PIPELINE_DEPTH: String(scenario.pipeline ?? 1) },
  });
}

/**
 * Runs `scenario`'s load (wrk, or the chunked-upload client) against a freshly started server
 * `id`. `placement` overrides the CPUs (server `cpus`, wrk `clientCpus`, wrk `threads`) and adds
 * CLI args. CPU is also given per MiB of request body for scenarios that send bodies.
 */
export async function measureLoad(scenario, id, dir, options, placement = {}) {
  const { cpus = SERVER_CPU, clientCpus = CLIENT_CPU, threads = 1, extraArgs = [] } = placement;
  const server = await startServer(id, dir, { cpus, extraArgs, scenario });
  try {
    await generateLoad(scenario, server, options, options.warmupSeconds, { clientCpus, threads });
    await sleep(200);
    resetPeakRss(server.pid);
    const cpuBefore = cpuMicros(server.pid);
    const othersBefore = otherProcessesCpuMicros();
    const clientBefore = exitedChildrenCpuMicros();
    const startedAt = performance.now();
    const result = await generateLoad(scenario, server, options, options.seconds, { clientCpus, threads });
    const clientUsed = exitedChildrenCpuMicros() - clientBefore;
    const serverUsedWhileLoaded = cpuMicros(server.pid) - cpuBefore;
    const loadMicros = (performance.now() - startedAt) * 1000;
    await sleep(100); // let the server finish the responses in flight when wrk stopped
    const cpuUsed = cpuMicros(server.pid) - cpuBefore;
    const othersUsed = otherProcessesCpuMicros() - othersBefore;
    const elapsedMicros = (performance.now() - startedAt) * 1000;
    const { p50, p99, max } = result.latencyUs;
    const bodyMiB = ((scenario.bodyBytes ?? 0) * result.requests) / (1024 * 1024);
    return {
      requests: result.requests,
      requestsPerSecond: result.requests / (result.durationUs / 1e6),
      cpuMicrosPerRequest: cpuUsed / result.requests,
      cpuMicrosPerMiB: bodyMiB > 0 ? cpuUsed / bodyMiB : NaN,
      // Share of its CPUs each side used while the load ran: near 100 % means CPU-bound. A
      // pinned process's threads all share its CPUs, so together they cannot exceed 100 %.
      serverBusyPercent: (100 * serverUsedWhileLoaded) / (loadMicros * cpus.split(',').length),
      clientBusyPercent: (100 * clientUsed) / (loadMicros * clientCpus.split(',').length),
      unfinished: result.unfinished ?? 0,
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
export async function measureIdle(scenario, id, dir, { warmupSeconds, idleConnections }) {
  const server = await startServer(id, dir, { cpus: SERVER_CPU, scenario });
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
