import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuBound, framingRatio, median, pairedDifference, pairedRatio, spread, verdict } from '../../bench/stats.mjs';

test('median of odd and even counts, ignoring values that are not finite', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([5, NaN, 1, Infinity, 3]), 3);
  assert.ok(Number.isNaN(median([])));
});

test('spread gives median, min, max and the count of finite values', () => {
  assert.deepEqual(spread([0.7, 0.5, NaN, 0.6]), { median: 0.6, min: 0.5, max: 0.7, n: 3 });
  assert.equal(spread([NaN]).n, 0);
});

test('paired ratio is the median of per-round ratios, not the ratio of medians', () => {
  // Round 2 was slow for both servers: pairing cancels it.
  const a = [
    { round: 0, cpu: 5 },
    { round: 1, cpu: 10 },
    { round: 2, cpu: 7 },
  ];
  const b = [
    { round: 0, cpu: 10 },
    { round: 1, cpu: 20 },
    { round: 2, cpu: 8 },
  ];
  const ratio = pairedRatio(a, b, 'cpu');
  assert.deepEqual(ratio, { median: 0.5, min: 0.5, max: 0.875, n: 3 });
  // The ratio of the medians would say 7 / 10 = 0.7.
  assert.notEqual(ratio.median, median(a.map((r) => r.cpu)) / median(b.map((r) => r.cpu)));
});

test('paired ratio skips rounds missing on one side or with a zero denominator', () => {
  const a = [
    { round: 0, cpu: 4 },
    { round: 1, cpu: 6 },
    { round: 3, cpu: 9 },
  ];
  const b = [
    { round: 0, cpu: 8 },
    { round: 1, cpu: 0 },
    { round: 2, cpu: 3 },
  ];
  assert.deepEqual(pairedRatio(a, b, 'cpu'), { median: 0.5, min: 0.5, max: 0.5, n: 1 });
  assert.equal(pairedRatio(a, [], 'cpu').n, 0);
});

test('verdicts compare the median ratio with the bound in the asked direction', () => {
  const ratio = spread([0.6, 0.65, 0.7]);
  assert.equal(verdict(ratio, 0.65, { atMost: true }), 'PASS');
  assert.equal(verdict(ratio, 0.6, { atMost: true }), 'MISS');
  assert.equal(verdict(ratio, 1, { atMost: false }), 'MISS');
  assert.equal(verdict(spread([]), 1, { atMost: true }), '–');
});

test('CPU-bound names the side that used (nearly) a whole CPU', () => {
  assert.equal(cpuBound(97, 40), 'server');
  assert.equal(cpuBound(60, 99), 'load generator');
  assert.equal(cpuBound(95, 95), 'both');
  assert.equal(cpuBound(50, 50), 'neither');
});

test('paired difference subtracts within each round', () => {
  const a = [
    { round: 0, cpu: 8 },
    { round: 1, cpu: 12 },
    { round: 2, cpu: 9 },
  ];
  const b = [
    { round: 0, cpu: 5 },
    { round: 1, cpu: 10 },
  ];
  assert.deepEqual(pairedDifference(a, b, 'cpu'), { median: 2.5, min: 2, max: 3, n: 2 });
});

// The 1-byte-chunk target: limit = 1.5 × (64 KiB-chunk cost + floor's 1-byte − floor's 64 KiB cost).
const runs = (...values) => values.map((value, round) => (value === null ? null : { round, perMiB: value })).filter(Boolean);

test('framing ratio passes when the fine-chunk cost stays within the limit in each round', () => {
  const result = framingRatio(
    {
      fine: runs(24000, 31050, 16800),
      coarse: runs(4000, 5000, 3000),
      floorFine: runs(16400, 19000, 13200),
      floorCoarse: runs(400, 1000, 200),
    },
    'perMiB',
    1.5,
  );
  // Round 0: 1.5 × (4000 + 16000) = 30000, 24000 / 30000 = 0.8; round 1: 1.5 × (5000 + 18000) =
  // 34500, 31050 / 34500 = 0.9; round 2: 1.5 × (3000 + 13000) = 24000, 16800 / 24000 = 0.7.
  assert.deepEqual(result.limit, { median: 30000, min: 24000, max: 34500, n: 3 });
  assert.deepEqual(result.ratio, { median: 0.8, min: 0.7, max: 0.9, n: 3 });
  assert.equal(verdict(result.ratio, 1, { atMost: true }), 'PASS');
});

test('framing ratio misses when the fine-chunk cost exceeds the limit, and skips rounds the floor lacks', () => {
  const result = framingRatio(
    {
      fine: runs(36000, 20000),
      coarse: runs(4000, 5000),
      floorFine: runs(16400, 19000),
      floorCoarse: runs(400, null),
    },
    'perMiB',
    1.5,
  );
  // Round 0: 1.5 × (4000 + 16000) = 30000, 36000 / 30000 = 1.2; round 1 has no floor run with
  // 64 KiB chunks, so it gives no ratio.
  assert.deepEqual(result.limit, { median: 30000, min: 30000, max: 30000, n: 1 });
  assert.deepEqual(result.ratio, { median: 1.2, min: 1.2, max: 1.2, n: 1 });
  assert.equal(verdict(result.ratio, 1, { atMost: true }), 'MISS');
});
