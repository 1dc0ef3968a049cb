// Renders aggregated results as Markdown tables: printed, saved, and pasted into BENCHMARKS.md.
import { ERROR_KINDS, subjectOf } from './results.mjs';
import { targetOf } from './scenarios.mjs';
import { SERVERS } from './servers.mjs';

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const micros = (value) =>
  Number.isFinite(value) ? (value >= 10_000 ? `${(value / 1000).toFixed(1)} ms` : `${Math.round(value)} µs`) : '–';
/** Rounds of the run being rendered: a ratio drawn from fewer rounds says so. */
let roundsInRun = 1;
/**
 * A paired ratio as "median [min–max]" (the spread over rounds; a single round shows alone),
 * followed by "(n of N rounds)" when some rounds gave no ratio (a run that completed nothing).
 */
const ratio = (r, digits = 2) => {
  if (r === null || r === undefined || r.n === 0) return '–';
  const partial = r.n < roundsInRun ? ` (${r.n} of ${roundsInRun} rounds)` : '';
  if (r.n === 1 || r.min === r.max) return `${fixed(r.median, digits)}${partial}`;
  return `${fixed(r.median, digits)} [${fixed(r.min, digits)}–${fixed(r.max, digits)}]${partial}`;
};
const label = (id) => SERVERS[id]?.label ?? id;

function formatErrors(errors, unfinished = 0) {
  const parts = ERROR_KINDS.filter((kind) => errors[kind] > 0).map((kind) => `${kind} ${errors[kind]}`);
  if (unfinished > 0) parts.push(`unfinished ${unfinished}`);
  return parts.length === 0 ? '0' : parts.join(', ');
}

function markdownTable(header, rows) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Converts a per-request figure to the scenario's unit: per MiB of body for chunked uploads. */
const perUnit = (scenario) => (scenario.kind === 'chunked' ? (1024 * 1024) / scenario.bodyBytes : 1);

/** "CPU ≤ 0.5": the paired ratio a scenario's target bounds, and the bound; '' without a target. */
function targetText(scenario) {
  const target = targetOf(scenario);
  return target === null ? '' : `${target.label} ≤ ${target.atMost}`;
}

/** One row per load scenario: the subject's paired ratios beside the floor's, and separate verdicts. */
function verdictTable(load) {
  const header = [
    'scenario',
    'reference',
    'measured',
    'CPU ÷ ref',
    'floor CPU ÷ ref',
    'µs above floor',
    'target',
    'verdict',
    'req/s ÷ ref',
    'req/s',
    'p99 ÷ ref',
    'p99',
    'errors',
    'CPU-bound (measured / ref)',
  ];
  const rows = [];
  for (const { scenario, reference, servers, ratios, verdicts } of load) {
    const subject = subjectOf(scenario);
    const r = ratios[subject];
    if (r === undefined || verdicts === null) {
      rows.push([scenario.id, label(reference), label(subject), '–', ratio(ratios.floor?.cpu), '–', '', 'not measured', '', '', '', '', '', '']);
      continue;
    }
    rows.push([
      scenario.id,
      label(reference),
      label(subject),
      ratio(r.cpu),
      ratio(ratios.floor?.cpu),
      r.microsAboveFloor === null ? '–' : fixed(r.microsAboveFloor.median * perUnit(scenario), 1),
      targetText(scenario),
      verdicts.target,
      ratio(r.requestsPerSecond),
      verdicts.requestsPerSecond,
      ratio(r.p99),
      verdicts.p99,
      verdicts.errors,
      `${servers[subject].bound} / ${servers[reference]?.bound ?? '–'}`,
    ]);
  }
  return markdownTable(header, rows);
}

/** One row per load scenario and server: medians of the absolute values, and paired ratios. */
function loadTable(load) {
  const header = [
    'scenario',
    'server',
    'req/s',
    'p50',
    'p99',
    'CPU µs/req',
    'CPU µs/MiB',
    'CPU ÷ ref',
    'CPU ÷ floor',
    'server CPU %',
    'load gen. CPU %',
    'CPU-bound',
    'peak RSS MiB',
    'errors',
    'other processes',
  ];
  const rows = [];
  for (const { scenario, servers, ratios } of load) {
    for (const [id, s] of Object.entries(servers)) {
      rows.push([
        scenario.id,
        s.note ? `${s.label} (${s.note})` : s.label,
        fixed(s.requestsPerSecond, 0),
        micros(s.p50Micros),
        micros(s.p99Micros),
        fixed(s.cpuMicrosPerRequest, 1),
        fixed(s.cpuMicrosPerMiB, 0),
        ratio(ratios[id]?.cpu),
        ratio(ratios[id]?.overFloor),
        fixed(s.serverBusyPercent, 0),
        fixed(s.clientBusyPercent, 0),
        s.bound,
        fixed(s.peakRssKib / 1024, 1),
        formatErrors(s.errors, s.unfinished),
        `${fixed(s.otherLoadPercent, 0)} %`,
      ]);
    }
  }
  return markdownTable(header, rows);
}

/** Per scenario with a floor: what wirehttp spends beyond it, and what the reference spends. */
function floorTable(load) {
  const header = ['scenario', 'unit', 'floor CPU µs', 'wirehttp CPU µs', 'above floor µs', 'wirehttp ÷ floor', 'reference', 'reference ÷ floor'];
  const rows = [];
  for (const { scenario, reference, servers, ratios } of load) {
    const floor = servers.floor;
    const subject = subjectOf(scenario);
    const wirehttp = servers[subject];
    if (floor === undefined || wirehttp === undefined) continue;
    const perMiB = scenario.kind === 'chunked';
    const cpu = (s) => (perMiB ? s.cpuMicrosPerMiB : s.cpuMicrosPerRequest);
    rows.push([
      scenario.id,
      perMiB ? 'MiB of body' : 'request',
      fixed(cpu(floor), 1),
      fixed(cpu(wirehttp), 1),
      fixed((ratios[subject]?.microsAboveFloor?.median ?? NaN) * perUnit(scenario), 1),
      ratio(ratios[subject]?.overFloor),
      label(reference),
      ratio(ratios[reference]?.overFloor),
    ]);
  }
  return markdownTable(header, rows);
}

function chunkTable(chunks) {
  const header = ['server', 'CPU µs/MiB, 64 KiB chunks', '16-byte chunks', '÷ 64 KiB', '1-byte chunks', '÷ 64 KiB', '1-byte limit µs/MiB', '1-byte ÷ limit', 'verdict'];
  const rows = chunks.map((row) => [
    row.label,
    fixed(row.perMiB64k, 0),
    fixed(row.sixteen?.perMiB, 0),
    ratio(row.sixteen?.ratio, 1),
    fixed(row.one?.perMiB, 0),
    ratio(row.one?.ratio, 1),
    row.framing ? fixed(row.framing.limit.median, 0) : '',
    row.framing ? ratio(row.framing.ratio) : '',
    row.framing?.verdict ?? '',
  ]);
  return markdownTable(header, rows);
}

/** The chunk table's heading: what it shows, and the 1-byte-chunk target's formula when judged. */
function chunkHeading(chunks) {
  const heading = 'The same 256 KiB body in smaller chunks (CPU per MiB of body, paired ratio to 64 KiB chunks)';
  const framing = chunks.find((row) => row.framing)?.framing;
  if (framing === undefined) return `${heading}:`;
  return (
    `${heading}. ${label(framing.subject)}'s 1-byte target, per round: limit = ${framing.factor} × (its 64 KiB-chunk cost ` +
    "+ the floor's 1-byte − 64 KiB-chunk cost), 1-byte cost ÷ limit ≤ 1 (limit: median over rounds):"
  );
}

function idleTable({ scenario, servers, verdict }) {
  const header = ['server', 'connections held', 'failed', 'opened in', 'RSS before MiB', 'RSS after MiB', 'KiB per connection', 'target', 'verdict'];
  const rows = Object.entries(servers).map(([id, s]) => [
    s.label,
    fixed(s.open, 0),
    fixed(s.failed, 0),
    `${fixed(s.openingMillis, 0)} ms`,
    fixed(s.rssBeforeKib / 1024, 1),
    fixed(s.rssAfterKib / 1024, 1),
    fixed(s.kibPerConnection, 2),
    id === 'wirehttp' ? `≤ ${scenario.rssPerConnectionTargetKib}` : '',
    id === 'wirehttp' ? verdict : '',
  ]);
  return markdownTable(header, rows);
}

function workersTable({ variants }) {
  const header = ['wirehttp', 'req/s', 'p50', 'p99', 'CPU µs/req', 'errors', 'req/s vs 1 worker'];
  const one = variants['1']?.requestsPerSecond;
  const rows = Object.entries(variants).map(([count, s]) => [
    `--workers ${count}`,
    fixed(s.requestsPerSecond, 0),
    micros(s.p50Micros),
    micros(s.p99Micros),
    fixed(s.cpuMicrosPerRequest, 1),
    formatErrors(s.errors),
    fixed(s.requestsPerSecond / one, 2),
  ]);
  return markdownTable(header, rows);
}

function countTable(countCheck) {
  const header = ['scenario', 'server', 'wrk responses', 'server-side count', 'difference'];
  return markdownTable(header, countCheck.map((c) => [c.scenario, c.server, c.wrkRequests, c.serverCount, c.serverCount - c.wrkRequests]));
}

function headline(machine, options) {
  const references = [machine.nginx, machine.bun].filter(Boolean).join(', ');
  return (
    `wirehttp ${machine.wirehttp}; ${options.rounds} round(s) × ${options.seconds} s per scenario and server; ` +
    `${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.wrk}${references ? `, ${references}` : ''}.\n` +
    'Ratios are medians of per-round paired ratios against the scenario\'s reference, [min–max] over rounds; ' +
    'absolute values are medians over rounds.'
  );
}

/** The whole report as Markdown. */
export function renderReport({ machine, options, load, idle, workers, chunks, countCheck, skipped }) {
  roundsInRun = options.rounds;
  const sections = [headline(machine, options)];
  if (load.length > 0) {
    sections.push(`Verdicts (each on its own: the scenario's target, req/s, p99, errors):\n\n${verdictTable(load)}`);
    sections.push(`Every server:\n\n${loadTable(load)}`);
    sections.push(`How far from the floor (CPU per unit; ratios and the distance paired per round):\n\n${floorTable(load)}`);
  }
  if (chunks !== null && chunks !== undefined) {
    sections.push(`${chunkHeading(chunks)}\n\n${chunkTable(chunks)}`);
  }
  if (idle) {
    sections.push(`Idle connections (${options.idleConnections} opened; RSS 300 ms after the last response):\n\n${idleTable(idle)}`);
  }
  if (workers) sections.push(`Two cores (server and wrk unpinned, wrk -t2):\n\n${workersTable(workers)}`);
  if (countCheck) sections.push(`Request counts (server side vs wrk):\n\n${countTable(countCheck)}`);
  if (skipped.length > 0) sections.push(`Skipped:\n\n${skipped.map((line) => `- ${line}`).join('\n')}`);
  return `${sections.join('\n\n')}\n`;
}
