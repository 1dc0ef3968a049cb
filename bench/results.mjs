// Per-round measurements -> medians per server, ratios against node:http, PASS/MISS verdicts.
import { SERVERS } from './servers.mjs';

export const ERROR_KINDS = ['connect', 'read', 'write', 'status', 'timeout'];

function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of each named field over `runs`. */
function medians(runs, fields) {
  return Object.fromEntries(fields.map((field) => [field, median(runs.map((run) => run[field]))]));
}

/** Medians of a load scenario's runs; errors are summed over the rounds. */
function summariseLoad(runs) {
  const errors = Object.fromEntries(ERROR_KINDS.map((kind) => [kind, runs.reduce((sum, run) => sum + run.errors[kind], 0)]));
  const fields = ['requestsPerSecond', 'cpuMicrosPerRequest', 'p50Micros', 'p99Micros', 'peakRssKib', 'otherLoadPercent'];
  return { rounds: runs.length, ...medians(runs, fields), errors, runs };
}

/** Verdict of wirehttp against node:http in one load scenario. */
function judge(scenario, wirehttp, nodeHttp) {
  const cpuRatio = wirehttp.cpuMicrosPerRequest / nodeHttp.cpuMicrosPerRequest;
  const misses = [];
  if (!(cpuRatio <= scenario.cpuRatioTarget)) misses.push('cpu');
  if (!(wirehttp.requestsPerSecond >= nodeHttp.requestsPerSecond)) misses.push('req/s');
  // wrk cannot always give a p99 (see lua/report.lua); without one on both sides there is no verdict on it
  if (wirehttp.p99Micros > nodeHttp.p99Micros) misses.push('p99');
  if (ERROR_KINDS.some((kind) => wirehttp.errors[kind] > 0)) misses.push('errors');
  return { cpuRatio, verdict: misses.length === 0 ? 'PASS' : `MISS (${misses.join(', ')})` };
}

/**
 * `runs`: scenario id -> (server id, or worker count for `workers`) -> per-round results.
 * Returns { load: [{scenario, servers, judgement}], idle, workers } with medians.
 */
export function aggregate(scenarios, runs) {
  const load = [];
  let idle = null;
  let workers = null;
  for (const scenario of scenarios) {
    const byKey = runs.get(scenario.id);
    if (byKey === undefined) continue;
    if (scenario.kind === 'workers') {
      const variants = Object.fromEntries([...byKey].sort().map(([count, countRuns]) => [count, summariseLoad(countRuns)]));
      workers = { scenario, variants };
      continue;
    }
    const servers = {};
    for (const id of Object.keys(SERVERS).filter((key) => byKey.has(key))) {
      const serverRuns = byKey.get(id);
      const label = SERVERS[id].label;
      if (scenario.kind === 'idle') {
        const fields = ['open', 'failed', 'openingMillis', 'rssBeforeKib', 'rssAfterKib', 'kibPerConnection'];
        servers[id] = { label, rounds: serverRuns.length, ...medians(serverRuns, fields), runs: serverRuns };
      } else {
        const note = scenario.kind === 'upload' && SERVERS[id].uploadMethod !== 'POST' ? SERVERS[id].uploadMethod : undefined;
        servers[id] = { label, note, ...summariseLoad(serverRuns) };
      }
    }
    if (scenario.kind === 'idle') {
      const wirehttp = servers.wirehttp;
      const verdict = wirehttp.kibPerConnection <= scenario.rssPerConnectionTargetKib && wirehttp.failed === 0 ? 'PASS' : 'MISS';
      idle = { scenario, servers, verdict };
    } else {
      load.push({ scenario, servers, judgement: judge(scenario, servers.wirehttp, servers['node-http']) });
    }
  }
  return { load, idle, workers };
}
