// Per-round measurements -> per-server medians, per-round paired ratios against the scenario's
// reference, and separate verdicts: the scenario's target, req/s, p99 and errors.
import { referenceOf, targetOf } from './scenarios.mjs';
import { SERVERS } from './servers.mjs';
import { cpuBound, framingRatio, median, pairedDifference, pairedRatio, verdict } from './stats.mjs';

export const ERROR_KINDS = ['connect', 'read', 'write', 'status', 'timeout'];

/** The median of each named field over `runs`. */
function medians(runs, fields) {
  return Object.fromEntries(fields.map((field) => [field, median(runs.map((run) => run[field]))]));
}

const LOAD_FIELDS = [
  'requestsPerSecond',
  'cpuMicrosPerRequest',
  'cpuMicrosPerMiB',
  'p50Micros',
  'p99Micros',
  'peakRssKib',
  'otherLoadPercent',
  'serverBusyPercent',
  'clientBusyPercent',
];

/** Medians of a load scenario's runs; errors and cut-off uploads are summed over the rounds. */
function summariseLoad(runs) {
  const errors = Object.fromEntries(ERROR_KINDS.map((kind) => [kind, runs.reduce((sum, run) => sum + run.errors[kind], 0)]));
  const unfinished = runs.reduce((sum, run) => sum + (run.unfinished ?? 0), 0);
  const summary = { rounds: runs.length, ...medians(runs, LOAD_FIELDS), errors, unfinished, runs };
  return { ...summary, bound: cpuBound(summary.serverBusyPercent, summary.clientBusyPercent) };
}

/** The server whose verdicts a scenario gives: wirehttp, Hono on wirehttp for the Hono app, the drain-only library server for drain scenarios. */
export const subjectOf = (scenario) => ({ hono: 'hono-wirehttp', drain: 'library-drain' })[scenario.app] ?? 'wirehttp';

/**
 * Paired ratios of every server against the reference, and the subject's verdicts, each on its
 * own: a CPU result must not hide behind (or be hidden by) req/s or p99, which flip under
 * contention on a shared machine. `target` judges the ratio the scenario's target bounds.
 */
function judgeLoad(scenario, servers) {
  const reference = servers[referenceOf(scenario)];
  const floor = servers.floor;
  const ratios = {};
  for (const [id, summary] of Object.entries(servers)) {
    if (reference === undefined) break;
    ratios[id] = {
      cpu: pairedRatio(summary.runs, reference.runs, 'cpuMicrosPerRequest'),
      requestsPerSecond: pairedRatio(summary.runs, reference.runs, 'requestsPerSecond'),
      p99: pairedRatio(summary.runs, reference.runs, 'p99Micros'),
      overFloor: floor === undefined ? null : pairedRatio(summary.runs, floor.runs, 'cpuMicrosPerRequest'),
      microsAboveFloor: floor === undefined ? null : pairedDifference(summary.runs, floor.runs, 'cpuMicrosPerRequest'),
    };
  }
  const subject = servers[subjectOf(scenario)];
  const ratio = ratios[subjectOf(scenario)];
  if (subject === undefined || ratio === undefined) return { ratios, verdicts: null };
  const target = targetOf(scenario);
  return {
    ratios,
    verdicts: {
      target: target === null ? 'shown' : verdict(ratio[target.ratio], target.atMost, { atMost: true }),
      requestsPerSecond: verdict(ratio.requestsPerSecond, 1, { atMost: false }),
      p99: verdict(ratio.p99, 1, { atMost: true }),
      errors: ERROR_KINDS.some((kind) => subject.errors[kind] > 0) || subject.unfinished > 0 ? 'MISS' : 'PASS',
    },
  };
}

/**
 * The subject's 1-byte-chunk target, when both chunk sizes and the floor were measured:
 * framingRatio() of its 1-byte runs against `framingFactorTarget` × (its 64 KiB-chunk cost + the
 * floor's 1-byte − 64 KiB-chunk cost), judged ≤ 1.
 */
function framingTarget(fineEntry, coarseEntry) {
  const factor = fineEntry?.scenario.framingFactorTarget;
  if (factor === undefined) return null;
  const subject = subjectOf(fineEntry.scenario);
  const runs = {
    fine: fineEntry.servers[subject]?.runs,
    coarse: coarseEntry.servers[subject]?.runs,
    floorFine: fineEntry.servers.floor?.runs,
    floorCoarse: coarseEntry.servers.floor?.runs,
  };
  if (Object.values(runs).includes(undefined)) return null;
  const { ratio, limit } = framingRatio(runs, 'cpuMicrosPerMiB', factor);
  return { subject, factor, limit, ratio, verdict: verdict(ratio, 1, { atMost: true }) };
}

/**
 * How each server's CPU per MiB grows when the same body comes in smaller chunks: per-round
 * paired ratios of the 1-byte and 16-byte chunk scenarios over the 64 KiB one, and the subject's
 * 1-byte-chunk target (framingTarget).
 */
function chunkSensitivity(load) {
  const byId = new Map(load.map((entry) => [entry.scenario.id, entry]));
  const base = byId.get('upload-chunked-64k');
  if (base === undefined) return null;
  const rows = [];
  const target = framingTarget(byId.get('upload-chunked-1'), base);
  for (const id of Object.keys(base.servers)) {
    const row = { id, label: base.servers[id].label, perMiB64k: base.servers[id].cpuMicrosPerMiB };
    for (const [key, scenarioId] of [['one', 'upload-chunked-1'], ['sixteen', 'upload-chunked-16']]) {
      const other = byId.get(scenarioId)?.servers[id];
      row[key] = other === undefined ? null : { perMiB: other.cpuMicrosPerMiB, ratio: pairedRatio(other.runs, base.servers[id].runs, 'cpuMicrosPerMiB') };
    }
    row.framing = target?.subject === id ? target : null;
    rows.push(row);
  }
  return rows;
}

/**
 * `runs`: scenario id -> (server id, or worker count for `workers`) -> per-round results, each
 * carrying its `round`. Returns { load, idle, workers, chunks }.
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
        const method = SERVERS[id].uploadMethod !== 'POST' ? SERVERS[id].uploadMethod : null;
        const drainOnly = SERVERS[id].stores === false ? 'drain only' : null;
        const note = scenario.kind === 'upload' || scenario.kind === 'chunked' ? [method, drainOnly].filter(Boolean).join(', ') : '';
        servers[id] = { label, note, ...summariseLoad(serverRuns) };
      }
    }
    if (scenario.kind === 'idle') {
      const wirehttp = servers.wirehttp;
      const pass = wirehttp !== undefined && wirehttp.kibPerConnection <= scenario.rssPerConnectionTargetKib && wirehttp.failed === 0;
      idle = { scenario, servers, verdict: pass ? 'PASS' : 'MISS' };
    } else {
      load.push({ scenario, reference: referenceOf(scenario), servers, ...judgeLoad(scenario, servers) });
    }
  }
  return { load, idle, workers, chunks: chunkSensitivity(load) };
}
