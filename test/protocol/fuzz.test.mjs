// A short, fixed-seed pass of the fuzzer (scripts/fuzz.mjs; `npm run fuzz` runs it longer).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runFuzz } from '../../scripts/fuzz.mjs';

const SECONDS = Number(process.env.FUZZ_SECONDS ?? 10);
const HEAP_GROWTH_LIMIT = 32 * 1024 * 1024;

test(`fuzzing the parser and a live server for ${SECONDS} s finds no crash, hang or leak`, async (t) => {
  const result = await runFuzz({ seconds: SECONDS, seed: 0x5eed });
  t.diagnostic(
    `seed ${result.seed}: ${result.parserCases} parser cases, ${result.serverCases} server cases ` +
      `(${result.serverResponses} responses), heap growth ${(result.heapGrowth / 1024 / 1024).toFixed(1)} MiB`,
  );
  assert.ok(result.parserCases > 1000, 'the parser fuzzer ran');
  assert.ok(result.serverCases > 100, 'the server fuzzer ran');
  assert.ok(result.heapGrowth < HEAP_GROWTH_LIMIT, `heap grew by ${result.heapGrowth} bytes`);
});
