// Command-line flags and BENCH_* environment variables of `npm run bench`.
import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios.mjs';
import { SERVERS } from './servers.mjs';

const USAGE = `npm run bench -- [--quick] [--rounds N] [--seconds N] [--only SCENARIOS] [--servers SERVERS]
                     [--idle-connections N] [--check-counts]
scenarios: ${SCENARIOS.map((s) => s.id).join(', ')}
servers:   ${Object.keys(SERVERS).join(', ')} (wirehttp and node-http are always measured)
env:       BENCH_QUICK=1, BENCH_ROUNDS, BENCH_SECONDS, BENCH_ONLY, BENCH_SERVERS,
           BENCH_IDLE_CONNECTIONS, BENCH_CLI=path/to/cli.js (another wirehttp build than ./dist),
           BENCH_ACCESS_LOG=1 (run wirehttp with its access log; by default it runs with --quiet)
`;

const list = (text) => text.split(',').map((item) => item.trim()).filter(Boolean);

/**
 * Resolves flags and environment into run options ({ help } for --help); throws an Error naming
 * the problems, followed by the usage, for bad ones.
 */
export function readOptions(argv = process.argv.slice(2), env = process.env) {
  let flags;
  try {
    ({ values: flags } = parseArgs({
      args: argv,
      options: {
        quick: { type: 'boolean', default: env.BENCH_QUICK === '1' },
        rounds: { type: 'string', default: env.BENCH_ROUNDS },
        seconds: { type: 'string', default: env.BENCH_SECONDS },
        only: { type: 'string', default: env.BENCH_ONLY },
        servers: { type: 'string', default: env.BENCH_SERVERS },
        'idle-connections': { type: 'string', default: env.BENCH_IDLE_CONNECTIONS ?? '10000' },
        'check-counts': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new Error(`${error.message}\n${USAGE}`);
  }
  if (flags.help) return { help: USAGE };
  const rounds = Number(flags.rounds ?? (flags.quick ? 1 : 3));
  const seconds = Number(flags.seconds ?? (flags.quick ? 2 : 5));
  const idleConnections = Number(flags['idle-connections']);
  const problems = [];
  for (const [name, value] of [['--rounds', rounds], ['--seconds', seconds], ['--idle-connections', idleConnections]]) {
    if (!Number.isInteger(value) || value < 1) problems.push(`${name} takes a whole number >= 1`);
  }
  const onlyIds = flags.only ? list(flags.only) : SCENARIOS.map((s) => s.id);
  problems.push(...onlyIds.filter((id) => !SCENARIOS.some((s) => s.id === id)).map((id) => `unknown scenario: ${id}`));
  const wanted = flags.servers ? [...new Set(['wirehttp', 'node-http', ...list(flags.servers)])] : Object.keys(SERVERS);
  problems.push(...wanted.filter((id) => !(id in SERVERS)).map((id) => `unknown server: ${id}`));
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  return {
    rounds,
    seconds,
    warmupSeconds: 1,
    idleConnections,
    scenarios: SCENARIOS.filter((s) => onlyIds.includes(s.id)),
    servers: Object.keys(SERVERS).filter((id) => wanted.includes(id) && SERVERS[id].available()),
    checkCounts: flags['check-counts'],
  };
}
