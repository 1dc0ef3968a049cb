// `npm run bench`: measures wirehttp against node:http (and nginx / Bun.serve when installed).
// Servers run on CPU 1, wrk and the harness on CPU 0; servers alternate within each round.
// Options (or env): --quick (BENCH_QUICK=1), --rounds N (BENCH_ROUNDS, default 3),
// --seconds N (BENCH_SECONDS, default 5), --only a,b (BENCH_ONLY), --servers a,b (BENCH_SERVERS),
// --idle-connections N (BENCH_IDLE_CONNECTIONS, default 10000), --check-counts,
// BENCH_CLI=path/to/cli.js to measure another wirehttp build than ./dist.
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkRequestCounts } from './count-check.mjs';
import { cpuMicros, otherProcessesCpuMicros, peakRssKib, resetPeakRss, rssKib } from './proc-stats.mjs';
import { idleTable, judge, loadTable, markdownTable, median, summarise, workersTable } from './report.mjs';
import { FILES, SCENARIOS } from './scenarios.mjs';
import { CLI, SERVERS, startServer } from './servers.mjs';
import { verifyScenario } from './verify.mjs';
import { runWrk, wrkInstalled } from './wrk.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const SERVER_CPU = '1';
const CLIENT_CPU = '0';
const FD_LIMIT = 65536;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

if (!wrkInstalled()) {
  process.stderr.write('bench: wrk is not installed. Install it with: sudo apt-get install wrk\n');
  process.exit(1);
}

// 10,000 connections need more descriptors than the usual soft limit, and the harness itself
// belongs on the load-generator CPU: re-run once under a raised limit, pinned to CPU 0.
if (process.env.WIREHTTP_BENCH_LAUNCHED !== '1') {
  const script = `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec taskset -c ${CLIENT_CPU} "$@"`;
  const child = spawnSync('bash', ['-c', script, 'bench', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, WIREHTTP_BENCH_LAUNCHED: '1' },
  });
  process.exit(child.status ?? 1);
}

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: process.env.BENCH_QUICK === '1' },
    rounds: { type: 'string', default: process.env.BENCH_ROUNDS },
    seconds: { type: 'string', default: process.env.BENCH_SECONDS },
    only: { type: 'string', default: process.env.BENCH_ONLY },
    servers: { type: 'string', default: process.env.BENCH_SERVERS },
    'idle-connections': { type: 'string', default: process.env.BENCH_IDLE_CONNECTIONS ?? '10000' },
    'check-counts': { type: 'boolean', default: false },
  },
});
const rounds = Number(flags.rounds ?? (flags.quick ? 1 : 3));
const seconds = Number(flags.seconds ?? (flags.quick ? 2 : 5));
const warmupSeconds = 1;
const idleConnections = Number(flags['idle-connections']);
const list = (text) => text.split(',').map((s) => s.trim()).filter(Boolean);
const scenarios = flags.only ? SCENARIOS.filter((s) => list(flags.only).includes(s.id)) : SCENARIOS;
const unknownScenarios = flags.only ? list(flags.only).filter((id) => !SCENARIOS.some((s) => s.id === id)) : [];
if (unknownScenarios.length > 0 || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(seconds) || seconds < 1) {
  process.stderr.write(
    `bench: bad options${unknownScenarios.length ? `; unknown scenarios: ${unknownScenarios.join(', ')}` : ''}` +
      `\nscenarios: ${SCENARIOS.map((s) => s.id).join(', ')}; --rounds and --seconds take whole numbers >= 1\n`,
  );
  process.exit(2);
}
const wantedServers = flags.servers ? list(flags.servers) : Object.keys(SERVERS);
const serverIds = Object.keys(SERVERS).filter((id) => wantedServers.includes(id) && SERVERS[id].available());
for (const id of ['wirehttp', 'node-http']) {
  if (!serverIds.includes(id)) {
    process.stderr.write(`bench: ${id} is required (${id === 'wirehttp' ? 'run `npm run build` first' : 'always available'})\n`);
    process.exit(2);
  }
}
const log = (line) => process.stderr.write(`${line}\n`);

/** The directory every server serves and stores into: tmpfs when there is one, so disks add no noise. */
function makeBenchDirectory() {
  const base = statfsSafe('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const dir = mkdtempSync(path.join(base, 'wirehttp-bench-'));
  for (const [name, size] of Object.entries(FILES)) writeFileSync(path.join(dir, name), randomFillSync(Buffer.alloc(size)));
  return dir;
}
function statfsSafe(dir) {
  try {
    return statfsSync(dir).bavail * statfsSync(dir).bsize > 512 * 1024 * 1024;
  } catch {
    return false;
  }
}

/** Rotates the server order each round so no server always runs first or last. */
const orderFor = (round, ids) => ids.map((_, i) => ids[(i + round) % ids.length]);

/** One measured wrk run of `scenario` against a freshly started server. */
async function measureLoad(scenario, id, dir, { cpus = SERVER_CPU, clientCpus = CLIENT_CPU, threads = 1, extraArgs = [] } = {}) {
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
    const result = await runWrk({ ...wrkOptions, seconds });
    await sleep(100);
    const cpuUsed = cpuMicros(server.pid) - cpuBefore;
    const othersUsed = otherProcessesCpuMicros() - othersBefore;
    const { p50, p99 } = result.latencyUs;
    // wrk occasionally prints a 0 percentile for a non-empty histogram; such a value is dropped.
    if (p99 < p50) log(`warning: wrk reported p99 ${p99} µs < p50 ${p50} µs for ${scenario.id} on ${server.label}; p99 ignored`);
    return {
      requests: result.requests,
      requestsPerSecond: result.requests / (result.durationUs / 1e6),
      cpuMicrosPerRequest: cpuUsed / result.requests,
      p50Micros: p50,
      p99Micros: p99 < p50 ? NaN : p99,
      maxMicros: result.latencyUs.max,
      peakRssKib: peakRssKib(server.pid),
      // CPU the rest of the machine used meanwhile, in % of one CPU: the noise this run had.
      otherLoadPercent: Math.max(0, (100 * othersUsed) / (result.durationUs + 100_000)),
      errors: result.errors,
    };
  } finally {
    await server.stop();
  }
}

/** Server RSS before and after `idleConnections` clients each sent one request and stayed. */
async function measureIdle(id, dir) {
  const server = await startServer(id, dir, { cpus: SERVER_CPU });
  let client;
  try {
    await runWrk({ url: `http://127.0.0.1:${server.port}/echo/hello`, script: 'get.lua', connections: 64, seconds: warmupSeconds });
    await sleep(1000);
    const rssBeforeKib = rssKib(server.pid);
    client = spawn('taskset', ['-c', CLIENT_CPU, process.execPath, path.join(BENCH_DIR, 'idle-client.mjs'), String(server.port), String(idleConnections)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const ready = await new Promise((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error('idle client did not finish within 60 s')), 60_000);
      client.stdout.on('data', (chunk) => {
        output += chunk;
        const match = /READY (\d+) (\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve({ open: Number(match[1]), failed: Number(match[2]) });
        }
      });
      client.once('exit', (code) => reject(new Error(`idle client exited with ${code}`)));
    });
    await sleep(300);
    const rssAfterKib = rssKib(server.pid);
    return { ...ready, rssBeforeKib, rssAfterKib, kibPerConnection: (rssAfterKib - rssBeforeKib) / ready.open };
  } finally {
    if (client && client.exitCode === null) {
      client.kill('SIGTERM');
      await new Promise((resolve) => client.once('exit', resolve));
    }
    await server.stop();
  }
}

/** Verifies every selected scenario on every server; returns the scenario ids each server may run. */
async function verifyAll(dir) {
  const expected = new Map([['/echo/hello', Buffer.from('hello')]]);
  for (const name of Object.keys(FILES)) expected.set(`/files/${name}`, readFileSync(path.join(dir, name)));
  const allowed = new Map();
  for (const id of serverIds) {
    const server = await startServer(id, dir, { cpus: SERVER_CPU });
    const ok = [];
    try {
      for (const scenario of scenarios) {
        const problems = await verifyScenario(server, scenario, dir, expected).catch((error) => [error.message]);
        if (problems.length === 0) ok.push(scenario.id);
        else log(`verify: ${server.label} ${scenario.id}: ${problems.join('; ')}`);
      }
    } finally {
      await server.stop();
    }
    allowed.set(id, ok);
  }
  for (const id of ['wirehttp', 'node-http']) {
    const failed = scenarios.filter((s) => !allowed.get(id).includes(s.id)).map((s) => s.id);
    if (failed.length > 0) throw new Error(`${SERVERS[id].label} answers wrongly in: ${failed.join(', ')}`);
  }
  return allowed;
}

function workersFlagSupported() {
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  return /--workers/.test(help.stdout);
}

function machine() {
  const cpuModel = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const wrkVersion = spawnSync('wrk', ['-v'], { encoding: 'utf8' }).stdout.split(' Copyright')[0];
  const nginxVersion = serverIds.includes('nginx') ? spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr.trim() : null;
  return { nproc: os.cpus().length, cpuModel, node: process.version, kernel: os.release(), wrk: wrkVersion, nginx: nginxVersion };
}

async function main() {
  const dir = makeBenchDirectory();
  const startedAt = new Date();
  log(`bench: ${rounds} round(s) × ${seconds} s, scenarios ${scenarios.map((s) => s.id).join(', ')}; servers ${serverIds.join(', ')}; directory ${dir}`);
  try {
    const allowed = await verifyAll(dir);
    log('verify: all servers answer every scenario they run like node:http');
    const countCheck = flags['check-counts'] ? await checkRequestCounts(dir, seconds) : null;

    const runs = new Map(); // scenario id -> server id (or worker count) -> runs
    const record = (scenarioId, key, run) => {
      if (!runs.has(scenarioId)) runs.set(scenarioId, new Map());
      if (!runs.get(scenarioId).has(key)) runs.get(scenarioId).set(key, []);
      runs.get(scenarioId).get(key).push(run);
    };
    const skipped = [];
    const withWorkers = workersFlagSupported();
    if (scenarios.some((s) => s.kind === 'workers') && !withWorkers) skipped.push('workers: the CLI has no --workers flag yet');

    for (let round = 0; round < rounds; round++) {
      for (const scenario of scenarios) {
        if (scenario.kind === 'workers') {
          if (!withWorkers) continue;
          for (const workers of orderFor(round, ['1', '2'])) {
            const run = await measureLoad(scenario, 'wirehttp', dir, { cpus: '0,1', clientCpus: '0,1', threads: 2, extraArgs: ['--workers', workers] });
            log(`round ${round + 1} ${scenario.id} --workers ${workers}: ${Math.round(run.requestsPerSecond)} req/s, ${run.cpuMicrosPerRequest.toFixed(1)} µs/req`);
            record(scenario.id, workers, run);
          }
          continue;
        }
        for (const id of orderFor(round, serverIds)) {
          if (!allowed.get(id).includes(scenario.id)) continue;
          if (scenario.kind === 'idle') {
            const run = await measureIdle(id, dir);
            log(`round ${round + 1} ${scenario.id} ${SERVERS[id].label}: ${run.open} held, ${run.kibPerConnection.toFixed(2)} KiB/connection`);
            record(scenario.id, id, run);
          } else {
            const run = await measureLoad(scenario, id, dir);
            log(`round ${round + 1} ${scenario.id} ${SERVERS[id].label}: ${Math.round(run.requestsPerSecond)} req/s, ${run.cpuMicrosPerRequest.toFixed(1)} µs/req, p99 ${run.p99Micros} µs`);
            record(scenario.id, id, run);
          }
        }
      }
    }
    for (const id of serverIds) {
      const notRun = scenarios.filter((s) => s.kind !== 'workers' && !allowed.get(id).includes(s.id)).map((s) => s.id);
      if (notRun.length > 0) skipped.push(`${SERVERS[id].label}: ${notRun.join(', ')} (answers differently, see verify lines)`);
    }

    const loadResults = [];
    let idleResult = null;
    let workersResult = null;
    for (const scenario of scenarios) {
      const byServer = runs.get(scenario.id);
      if (byServer === undefined) continue;
      if (scenario.kind === 'idle') {
        const servers = {};
        for (const [id, serverRuns] of byServer) {
          const pick = (name) => median(serverRuns.map((r) => r[name]));
          servers[id] = { label: SERVERS[id].label, open: pick('open'), failed: pick('failed'), rssBeforeKib: pick('rssBeforeKib'), rssAfterKib: pick('rssAfterKib'), kibPerConnection: pick('kibPerConnection'), runs: serverRuns };
        }
        idleResult = { scenario, servers };
      } else if (scenario.kind === 'workers') {
        const variants = {};
        for (const [workers, workerRuns] of byServer) variants[workers] = { ...summarise(workerRuns), runs: workerRuns };
        workersResult = { scenario, variants: Object.fromEntries(['1', '2'].filter((w) => variants[w]).map((w) => [w, variants[w]])) };
      } else {
        const servers = {};
        for (const id of serverIds) {
          if (!byServer.has(id)) continue;
          const note = scenario.kind === 'upload' && SERVERS[id].uploadMethod !== 'POST' ? SERVERS[id].uploadMethod : undefined;
          servers[id] = { label: SERVERS[id].label, note, ...summarise(byServer.get(id)), runs: byServer.get(id) };
        }
        loadResults.push({ scenario, servers, judgement: judge(scenario, servers.wirehttp, servers['node-http']) });
      }
    }

    const sections = [];
    if (loadResults.length > 0) sections.push(loadTable(loadResults));
    if (idleResult) sections.push(`Idle connections (${idleConnections} held; RSS sampled 300 ms after the last response):\n\n${idleTable(idleResult)}`);
    if (workersResult) sections.push(`Two cores (server and wrk unpinned, wrk -t2):\n\n${workersTable(workersResult)}`);
    if (countCheck) sections.push(`Request-count check (server-side count vs wrk):\n\n${markdownTable(['scenario', 'server', 'wrk responses', 'server-side count', 'difference'], countCheck.map((c) => [c.scenario, c.server, c.wrkRequests, c.serverCount, c.serverCount - c.wrkRequests]))}`);
    if (skipped.length > 0) sections.push(`Skipped: ${skipped.join('; ')}`);
    const info = machine();
    const header = `${rounds} round(s) × ${seconds} s per scenario and server, medians; ${info.nproc} CPUs (${info.cpuModel}), Node ${info.node}, ${info.wrk}`;
    const text = `${header}\n\n${sections.join('\n\n')}\n`;
    process.stdout.write(`\n${text}`);

    const resultsDir = path.join(BENCH_DIR, 'results');
    mkdirSync(resultsDir, { recursive: true });
    const json = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: info,
      options: { rounds, seconds, warmupSeconds, idleConnections, scenarios: scenarios.map((s) => s.id), servers: serverIds, serverCpu: SERVER_CPU, clientCpu: CLIENT_CPU },
      load: loadResults,
      idle: idleResult,
      workers: workersResult,
      countCheck,
      skipped,
    };
    writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`);
    writeFileSync(path.join(resultsDir, 'latest.md'), text);
    log(`bench: wrote bench/results/latest.json and bench/results/latest.md`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
