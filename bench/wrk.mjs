// Runs the load generators pinned to the load-generator CPU — wrk, and for chunked uploads
// bench/chunked-client.mjs — and returns the summary each prints as a BENCH_RESULT line.
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const LUA_DIR = path.join(BENCH_DIR, 'lua');

/** True when a wrk binary is on PATH. */
export function wrkInstalled() {
  return spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).status === 0;
}

/** Runs `taskset ...argv` and resolves the JSON of its BENCH_RESULT line. */
function runForResult(name, argv, env) {
  return new Promise((resolve, reject) => {
    execFile('taskset', argv, { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const line = /^BENCH_RESULT (.*)$/m.exec(stdout);
      if (error !== null || line === null) {
        reject(new Error(`${name} failed (${error?.message ?? 'no result line'}):\n${stdout}${stderr}`));
        return;
      }
      resolve(JSON.parse(line[1]));
    });
  });
}

/**
 * wrk -t{threads} -c{connections} -d{seconds}s --latency -s lua/{script} {url}.
 * Resolves { requests, durationUs, bytes, errors: {connect, read, write, status, timeout},
 * latencyUs: {p50, p99, mean, max} }; `errors.status` counts responses with status >= 400.
 */
export function runWrk({ url, script, connections, seconds, cpus = '0', threads = 1, env = {} }) {
  const args = ['-c', cpus, 'wrk', `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s'];
  args.push('-s', path.join(LUA_DIR, script), url);
  return runForResult('wrk', args, { BENCH_LUA_DIR: LUA_DIR, ...env });
}

/**
 * The chunked-upload client pinned to `cpus`; resolves as runWrk does, plus `unfinished`:
 * uploads still in flight when the wait ran out, which were cut off.
 */
export function runChunkedClient({ port, method, bodyBytes, chunkBytes, connections, seconds, maxWaitSeconds, cpus = '0' }) {
  const args = [port, method, bodyBytes, chunkBytes, connections, seconds, maxWaitSeconds].map(String);
  return runForResult('the chunked-upload client', ['-c', cpus, process.execPath, path.join(BENCH_DIR, 'chunked-client.mjs'), ...args], {});
}
