// Renders aggregated results as Markdown tables: printed, saved, and pasted into BENCHMARKS.md.
import { ERROR_KINDS } from './results.mjs';

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const micros = (value) =>
  Number.isFinite(value) ? (value >= 10_000 ? `${(value / 1000).toFixed(1)} ms` : `${Math.round(value)} µs`) : '–';

function formatErrors(errors) {
  const parts = ERROR_KINDS.filter((kind) => errors[kind] > 0).map((kind) => `${kind} ${errors[kind]}`);
  return parts.length === 0 ? '0' : parts.join(', ');
}

function markdownTable(header, rows) {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** One row per load scenario and server. */
function loadTable(load) {
  const header = ['scenario', 'server', 'req/s', 'p50', 'p99', 'CPU µs/req', 'CPU vs node:http', 'target', 'verdict', 'peak RSS MiB', 'errors', 'other processes'];
  const rows = [];
  for (const { scenario, servers, judgement } of load) {
    for (const [id, summary] of Object.entries(servers)) {
      const isWirehttp = id === 'wirehttp';
      rows.push([
        scenario.id,
        summary.note ? `${summary.label} (${summary.note})` : summary.label,
        fixed(summary.requestsPerSecond, 0),
        micros(summary.p50Micros),
        micros(summary.p99Micros),
        fixed(summary.cpuMicrosPerRequest, 1),
        fixed(summary.cpuMicrosPerRequest / servers['node-http'].cpuMicrosPerRequest, 2),
        isWirehttp ? `≤ ${scenario.cpuRatioTarget}` : '',
        isWirehttp ? judgement.verdict : '',
        fixed(summary.peakRssKib / 1024, 1),
        formatErrors(summary.errors),
        `${fixed(summary.otherLoadPercent, 0)} %`,
      ]);
    }
  }
  return markdownTable(header, rows);
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
    `wirehttp ${machine.wirehttp}; ${options.rounds} round(s) × ${options.seconds} s per scenario and server, medians; ` +
    `${machine.nproc} CPUs (${machine.cpuModel}), Node ${machine.node}, ${machine.wrk}${references ? `, ${references}` : ''}`
  );
}

/** The whole report as Markdown. */
export function renderReport({ machine, options, load, idle, workers, countCheck, skipped }) {
  const sections = [headline(machine, options)];
  if (load.length > 0) sections.push(loadTable(load));
  if (idle) {
    sections.push(`Idle connections (${options.idleConnections} opened; RSS 300 ms after the last response):\n\n${idleTable(idle)}`);
  }
  if (workers) sections.push(`Two cores (server and wrk unpinned, wrk -t2):\n\n${workersTable(workers)}`);
  if (countCheck) sections.push(`Request counts (server side vs wrk):\n\n${countTable(countCheck)}`);
  if (skipped.length > 0) sections.push(`Skipped: ${skipped.join('; ')}`);
  return `${sections.join('\n\n')}\n`;
}
