// The arithmetic of the report: medians, spreads and per-round paired ratios. Pure functions,
// unit-tested in test/bench/stats.test.mjs.

/** The median of the finite values, or NaN when there is none. */
export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** { median, min, max, n } of the finite values (NaN fields and n = 0 when there is none). */
export function spread(values) {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite), n: finite.length };
}

/** round -> the run's `field`, for pairing runs of the same round. */
const valuesByRound = (runs, field) => new Map(runs.map((run) => [run.round, run[field]]));

/**
 * Ratios of `field` between two servers' runs taken in the same round, summarised by spread().
 * Runs carry their `round`; a round that only one side has, or whose denominator is not a
 * positive number, gives no ratio. Pairing within the round cancels what the round shared
 * (another process's load, a frequency change), which a ratio of two medians does not.
 */
export function pairedRatio(numeratorRuns, denominatorRuns, field) {
  const byRound = valuesByRound(denominatorRuns, field);
  const ratios = [];
  for (const run of numeratorRuns) {
    const denominator = byRound.get(run.round);
    if (Number.isFinite(denominator) && denominator > 0 && Number.isFinite(run[field])) ratios.push(run[field] / denominator);
  }
  return spread(ratios);
}

/** Verdict of a paired ratio against a bound: `atMost` (ratio ≤ bound) or at least. */
export function verdict(ratio, bound, { atMost }) {
  if (ratio.n === 0 || !Number.isFinite(bound)) return '–';
  return (atMost ? ratio.median <= bound : ratio.median >= bound) ? 'PASS' : 'MISS';
}

/** Which side ran out of CPU: a process busy at least `threshold` % of one CPU was CPU-bound. */
export function cpuBound(serverBusyPercent, clientBusyPercent, threshold = 90) {
  const server = serverBusyPercent >= threshold;
  const client = clientBusyPercent >= threshold;
  if (server && client) return 'both';
  if (server) return 'server';
  if (client) return 'load generator';
  return 'neither';
}

/** Per-round paired differences numerator − denominator of `field`, summarised by spread(). */
export function pairedDifference(numeratorRuns, denominatorRuns, field) {
  const byRound = valuesByRound(denominatorRuns, field);
  const differences = numeratorRuns
    .filter((run) => byRound.has(run.round))
    .map((run) => run[field] - byRound.get(run.round));
  return spread(differences);
}

/**
 * A fine-chunk upload's cost against what its framing may add, per round:
 * limit = factor × (coarse + (floorFine − floorCoarse)) and ratio = fine ÷ limit, where `fine`
 * and `coarse` are the subject's runs with fine and coarse chunks, `floorFine` and `floorCoarse`
 * the floor's, and `field` their cost per MiB of body. The floor only reads the bytes, so what it
 * pays extra for fine chunks is the cost of the framing itself; the subject may spend `factor`
 * times (its coarse-chunk cost plus that). A round missing from any of the four runs, or whose
 * limit is not a positive number, gives no ratio. Returns { ratio, limit }, each a spread().
 */
export function framingRatio({ fine, coarse, floorFine, floorCoarse }, field, factor) {
  const [base, floorWith, floorWithout] = [coarse, floorFine, floorCoarse].map((runs) => valuesByRound(runs, field));
  const ratios = [];
  const limits = [];
  for (const run of fine) {
    const limit = factor * (base.get(run.round) + (floorWith.get(run.round) - floorWithout.get(run.round)));
    if (!Number.isFinite(limit) || limit <= 0 || !Number.isFinite(run[field])) continue;
    limits.push(limit);
    ratios.push(run[field] / limit);
  }
  return { ratio: spread(ratios), limit: spread(limits) };
}
