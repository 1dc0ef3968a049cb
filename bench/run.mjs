// `npm run bench`: measures wirehttp against node:http and a floor server (and nginx / Bun.serve
// when installed, and a Hono app on @hono/node-server and on wirehttp's serve()).
// Servers run on CPU 1, wrk, the harness and the other load clients on CPU 0; servers
// alternate within each round. See BENCHMARKS.md, or `npm run bench -- --help` for the options.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRequestCounts } from './count-check.mjs';
import { describeMachine, makeBenchDirectory, workersFlagSupported } from './environment.mjs';
import { CLIENT_CPU, SERVER_CPU, measureIdle, measureLoad } from './measure.mjs';
import { readOptions } from './options.mjs';
import { renderReport } from './report.mjs';
import { aggregate } from './results.mjs';
import { SERVERS, killRunningServers } from './servers.mjs';
import { verifyAll } from './verify.mjs';
import { wrkInstalled } from './wrk.mjs';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const FD_LIMIT = 65536;
const log = (line) => process.stderr.write(`${line}\n`);

let options;
try {
  options = readOptions();
} catch (error) {
  log(error.message);
  process.exit(2);
}
if (options.help) {
  process.stdout.write(options.help);
  process.exit(0);
}
if (!wrkInstalled()) {
  log('bench: wrk is not installed. Install it with: sudo apt-get install wrk');
  process.exit(1);
}

// 10,000 connections need more descriptors than the usual soft limit, and the harness itself
// belongs on the load-generator CPU: run once more under a raised limit, pinned to CPU 0.
if (process.env.WIREHTTP_BENCH_LAUNCHED !== '1') {
  const script = `ulimit -n ${FD_LIMIT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec taskset -c ${CLIENT_CPU} "$@"`;
  const child = spawnSync('bash', ['-c', script, 'bench', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, WIREHTTP_BENCH_LAUNCHED: '1' },
  });
  process.exit(child.status ?? 1);
}

if (options.unavailable.some((entry) => entry.id === 'wirehttp')) {
  log('bench: no wirehttp build to measure: run `npm run build` (or set BENCH_CLI)');
  process.exit(2);
}

/** Rotates the order each round so no server always runs first or last. */
const rotated = (items, round) => items.map((_, i) => items[(i + round) % items.length]);

/** Runs every round; returns scenario id -> (server id or worker count) -> per-round results. */
async function measureAll(dir, allowed, withWorkers) {
  const runs = new Map();
  // Each run keeps its round, so that ratios are taken between runs of the same round.
  const record = (scenarioId, key, round, run) => {
    if (!runs.has(scenarioId)) runs.set(scenarioId, new Map());
    const byKey = runs.get(scenarioId);
    if (!byKey.has(key)) byKey.set(key, []);
    byKey.get(key).push({ round, ...run });
  };
  const loadLine = (run) =>
    `${Math.round(run.requestsPerSecond)} req/s, ${run.cpuMicrosPerRequest.toFixed(1)} µs/req` +
    `${Number.isFinite(run.cpuMicrosPerMiB) ? ` (${Math.round(run.cpuMicrosPerMiB)} µs/MiB)` : ''}, p99 ${run.p99Micros} µs, ` +
    `server CPU ${run.serverBusyPercent.toFixed(0)} %, load generator ${run.clientBusyPercent.toFixed(0)} %, ` +
    `other processes ${run.otherLoadPercent.toFixed(0)} %${run.unfinished > 0 ? `, ${run.unfinished} uploads cut off` : ''}` +
    `${run.requests === 0 ? ' — completed no request: this round gives this server no ratio' : ''}`;
  for (let round = 0; round < options.rounds; round++) {
    for (const scenario of options.scenarios) {
      const prefix = `round ${round + 1} ${scenario.id}`;
      if (scenario.kind === 'workers') {
        if (!withWorkers) continue;
        for (const count of rotated(['1', '2'], round)) {
          const placement = { cpus: '0,1', clientCpus: '0,1', threads: 2, extraArgs: ['--workers', count] };
          const run = await measureLoad(scenario, 'wirehttp', dir, options, placement);
          log(`${prefix} --workers ${count}: ${loadLine(run)}`);
          record(scenario.id, count, round, run);
        }
        continue;
      }
      for (const id of rotated(options.servers, round).filter((server) => allowed.get(server).includes(scenario.id))) {
        if (scenario.kind === 'idle') {
          const run = await measureIdle(scenario, id, dir, options);
          log(`${prefix} ${SERVERS[id].label}: ${run.open} held, ${run.kibPerConnection.toFixed(2)} KiB/connection`);
          record(scenario.id, id, round, run);
        } else {
          const run = await measureLoad(scenario, id, dir, options);
          log(`${prefix} ${SERVERS[id].label}: ${loadLine(run)}`);
          record(scenario.id, id, round, run);
        }
      }
    }
  }
  return runs;
}

async function main() {
  const dir = makeBenchDirectory();
  const startedAt = new Date().toISOString();
  const stopNow = () => {
    killRunningServers();
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, stopNow);
  const { rounds, seconds, scenarios, servers } = options;
  for (const { id, reason } of options.unavailable) log(`bench: ${SERVERS[id].label} is skipped: ${reason}`);
  log(`bench: ${rounds} round(s) × ${seconds} s; scenarios ${scenarios.map((s) => s.id).join(', ')}; servers ${servers.join(', ')}`);
  try {
    const allowed = await verifyAll(servers, scenarios, dir, log);
    log('verify: every server gives the expected answers in the scenarios it runs');
    const countCheck = options.checkCounts ? await checkRequestCounts(dir, seconds) : null;
    const withWorkers = workersFlagSupported();
    const skipped = options.unavailable.map(({ id, reason }) => {
      const where = scenarios.filter((s) => SERVERS[id].runs(s)).map((s) => s.id);
      return `${SERVERS[id].label} in ${where.join(', ')}: ${reason}`;
    });
    if (scenarios.some((s) => s.kind === 'workers') && !withWorkers) skipped.push('workers: the CLI has no --workers flag');
    for (const id of servers) {
      const wrong = scenarios.filter((s) => s.kind !== 'workers' && SERVERS[id].runs(s) && !allowed.get(id).includes(s.id)).map((s) => s.id);
      if (wrong.length > 0) skipped.push(`${SERVERS[id].label} in ${wrong.join(', ')} (wrong answers, see the verify lines)`);
    }
    for (const line of skipped) log(`skipped: ${line}`);
    const runs = await measureAll(dir, allowed, withWorkers);
    const report = {
      startedAt,
      finishedAt: new Date().toISOString(),
      machine: describeMachine(servers),
      options: { ...options, scenarios: scenarios.map((s) => s.id), serverCpu: SERVER_CPU, clientCpu: CLIENT_CPU },
      ...aggregate(scenarios, runs),
      countCheck,
      skipped,
    };
    const text = renderReport(report);
    process.stdout.write(`\n${text}`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(path.join(RESULTS_DIR, 'latest.md'), text);
    log('bench: wrote bench/results/latest.json and bench/results/latest.md');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  killRunningServers();
  log(`bench: ${error.stack ?? error.message}`);
  process.exit(1);
});
