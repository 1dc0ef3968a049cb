// Turns per-round measurements into medians, ratios against node:http and PASS/MISS verdicts,
// and renders them as Markdown tables (printed, and pasted into BENCHMARKS.md).

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ERROR_KINDS = ['connect', 'read', 'write', 'status', 'timeout'];

/** Median of every numeric metric over the rounds of one server in one scenario; errors are summed. */
export function summarise(runs) {
  const metric = (name) => median(runs.map((run) => run[name]));
  const errors = Object.fromEntries(ERROR_KINDS.map((kind) => [kind, runs.reduce((s, r) => s + (r.errors?.[kind] ?? 0), 0)]));
  return {
    rounds: runs.length,
    requestsPerSecond: metric('requestsPerSecond'),
    cpuMicrosPerRequest: metric('cpuMicrosPerRequest'),
    p50Micros: metric('p50Micros'),
    p99Micros: metric('p99Micros'),
    peakRssKib: metric('peakRssKib'),
    otherLoadPercent: metric('otherLoadPercent'),
    errors,
  };
}

/** Verdict of wirehttp against node:http in one load scenario. */
export function judge(scenario, wirehttp, nodeHttp) {
  const cpuRatio = wirehttp.cpuMicrosPerRequest / nodeHttp.cpuMicrosPerRequest;
  const misses = [];
  if (!(cpuRatio <= scenario.cpuRatioTarget)) misses.push('cpu');
  if (!(wirehttp.requestsPerSecond >= nodeHttp.requestsPerSecond)) misses.push('req/s');
  if (!(wirehttp.p99Micros <= nodeHttp.p99Micros)) misses.push('p99');
  const errorCount = ERROR_KINDS.reduce((s, kind) => s + wirehttp.errors[kind], 0);
  if (errorCount > 0) misses.push('errors');
  return { cpuRatio, verdict: misses.length === 0 ? 'PASS' : `MISS (${misses.join(', ')})`, misses };
}

function formatErrors(errors) {
  const parts = ERROR_KINDS.filter((kind) => errors[kind] > 0).map((kind) => `${kind} ${errors[kind]}`);
  return parts.length === 0 ? '0' : parts.join(', ');
}

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const micros = (value) => (Number.isFinite(value) ? (value >= 10_000 ? `${(value / 1000).toFixed(1)} ms` : `${Math.round(value)} µs`) : '–');

export function markdownTable(header, rows) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Table of the load scenarios: one row per scenario and server. */
export function loadTable(results) {
  const header = ['scenario', 'server', 'req/s', 'p50', 'p99', 'CPU µs/req', 'peak RSS MiB', 'errors', 'other processes (% of a CPU)', 'CPU vs node:http', 'target', 'verdict'];
  const rows = [];
  for (const { scenario, servers, judgement } of results) {
    for (const [id, summary] of Object.entries(servers)) {
      const isWirehttp = id === 'wirehttp';
      rows.push([
        scenario.id,
        summary.label + (summary.note ? ` (${summary.note})` : ''),
        fixed(summary.requestsPerSecond, 0),
        micros(summary.p50Micros),
        micros(summary.p99Micros),
        fixed(summary.cpuMicrosPerRequest, 1),
        fixed(summary.peakRssKib / 1024, 1),
        formatErrors(summary.errors),
        Number.isFinite(summary.otherLoadPercent) ? `${summary.otherLoadPercent.toFixed(0)} %` : '–',
        servers['node-http'] ? fixed(summary.cpuMicrosPerRequest / servers['node-http'].cpuMicrosPerRequest, 2) : '–',
        isWirehttp ? `≤ ${scenario.cpuRatioTarget}` : '',
        isWirehttp && judgement ? judgement.verdict : '',
      ]);
    }
  }
  return markdownTable(header, rows);
}

/** Table of the idle-connection scenario. */
export function idleTable(result) {
  const header = ['server', 'connections held', 'failed', 'RSS before MiB', 'RSS after MiB', 'KiB per connection', 'target', 'verdict'];
  const rows = Object.entries(result.servers).map(([id, s]) => [
    s.label,
    fixed(s.open, 0),
    fixed(s.failed, 0),
    fixed(s.rssBeforeKib / 1024, 1),
    fixed(s.rssAfterKib / 1024, 1),
    fixed(s.kibPerConnection, 2),
    id === 'wirehttp' ? `≤ ${result.scenario.rssPerConnectionTargetKib}` : '',
    id === 'wirehttp' ? (s.kibPerConnection <= result.scenario.rssPerConnectionTargetKib && s.failed === 0 ? 'PASS' : 'MISS') : '',
  ]);
  return markdownTable(header, rows);
}

/** Table of the 1-vs-2-workers comparison. */
export function workersTable(result) {
  const header = ['wirehttp', 'req/s', 'p50', 'p99', 'CPU µs/req', 'errors', 'req/s vs 1 worker'];
  const one = result.variants['1']?.requestsPerSecond;
  const rows = Object.entries(result.variants).map(([workers, s]) => [
    `--workers ${workers}`,
    fixed(s.requestsPerSecond, 0),
    micros(s.p50Micros),
    micros(s.p99Micros),
    fixed(s.cpuMicrosPerRequest, 1),
    formatErrors(s.errors),
    fixed(s.requestsPerSecond / one, 2),
  ]);
  return markdownTable(header, rows);
}
