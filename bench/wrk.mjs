// Runs wrk pinned to the load-generator CPU and returns the summary its Lua `done` prints.
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LUA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lua');

/** True when a wrk binary is on PATH. */
export function wrkInstalled() {
  return spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).status === 0;
}

/**
 * wrk -t{threads} -c{connections} -d{seconds}s --latency -s lua/{script} {url}.
 * Resolves { requests, durationUs, bytes, errors: {connect, read, write, status, timeout},
 * latencyUs: {p50, p99, mean, max} }; `errors.status` counts responses with status >= 400.
 */
export function runWrk({ url, script, connections, seconds, cpus = '0', threads = 1, env = {} }) {
  const args = ['-c', cpus, 'wrk', `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s'];
  args.push('-s', path.join(LUA_DIR, script), url);
  return new Promise((resolve, reject) => {
    execFile(
      'taskset',
      args,
      { env: { ...process.env, BENCH_LUA_DIR: LUA_DIR, ...env }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const line = /^BENCH_RESULT (.*)$/m.exec(stdout);
        if (error !== null || line === null) {
          reject(new Error(`wrk failed (${error?.message ?? 'no result line'}):\n${stdout}${stderr}`));
          return;
        }
        resolve(JSON.parse(line[1]));
      },
    );
  });
}
