// Command-line flags and BENCH_* environment variables of `npm run bench`.
import { parseArgs } from 'node:util';
import { SCENARIOS } from './scenarios.mjs';
import { SERVERS } from './servers.mjs';

/** Servers every run measures (when a chosen scenario is theirs): the references and the floor. */
const ALWAYS = ['wirehttp', 'node-http', 'node-http-durable', 'node-http-drain', 'library-drain', 'floor', 'hono-node', 'hono-node-native', 'hono-wirehttp', 'hono-wirehttp-light'];
const OPTIONAL = Object.keys(SERVERS).filter((id) => !ALWAYS.includes(id));

const USAGE = `npm run bench -- [--quick] [--rounds N] [--seconds N] [--only SCENARIOS] [--servers SERVERS]
                     [--idle-connections N] [--check-counts] [--help]

Measures wirehttp's CLI (and, in the hono scenario, a Hono app on wirehttp's serve()) against
node:http and a floor server, each pinned to CPU 1 with wrk on CPU 0. Every ratio is the median
over rounds of the ratio measured within each round (paired), shown with its min–max spread.

  --quick                1 round of 2 s per scenario and server (a few minutes in all)
  --rounds N             rounds; ratios are medians of per-round ratios (default 3, 1 with --quick)
  --seconds N            measured load per scenario, server and round (default 5, 2 with --quick)
  --only a,b             scenarios to run (default: all)
  --servers a,b          optional outside references to add (default: all installed)
  --idle-connections N   connections held in idle-10k (default 10000)
  --check-counts         also compare wrk's request counts with server-side counts (echo, pipelined)
  -h, --help             this text

scenarios:
${SCENARIOS.map((s) => `  ${s.id.padEnd(20)} ${s.title}`).join('\n')}

servers (each measured in the scenarios that are its own):
  wirehttp             the CLI (node dist/cli.js --quiet); all but hono
  node-http            bench/reference-node-http.mjs, the reference (uploads stream into the file)
  node-http-durable    the same with durable uploads (temporary file, fsync, rename, directory
                       fsync), the reference of the upload scenarios
  node-http-drain      node:http reading upload bodies and dropping them, the reference of upload-1m-drain
  library-drain        wirehttp as a library doing the same (bench/reference-library-drain.mjs)
  floor                bench/reference-floor.mjs: counts head ends, writes a fixed response; all
                       but hono and workers (in uploads it reads the body and stores nothing); in
                       hono bench/reference-hono-floor.mjs: the app called with no parsing or checks
  hono-node            a Hono app on @hono/node-server with its defaults (which replace the global
                       Request and Response), the reference of hono
  hono-node-native     the same with overrideGlobalObjects: false (the platform's Request/Response)
  hono-wirehttp        the same app on wirehttp's serve() with its defaults (globals untouched), the
                       subject of hono; run only when the build exports serve()
  hono-wirehttp-light  the same with overrideGlobalObjects: true (shown, not judged)
  ${OPTIONAL.join(', ').padEnd(20)} optional outside references, when installed (--servers picks among them)
A server that is missing is skipped with a line saying why.

env:     BENCH_QUICK=1, BENCH_ROUNDS, BENCH_SECONDS, BENCH_ONLY, BENCH_SERVERS,
         BENCH_IDLE_CONNECTIONS (the flags above),
         BENCH_CLI=path/to/cli.js (another wirehttp build than ./dist; its index.js for hono),
         BENCH_ACCESS_LOG=1 (run wirehttp with its access log; by default it runs with --quiet),
         BENCH_CHUNKED_WAIT=N (seconds chunked uploads in flight may take to finish, default 60)
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
  const chunkedWaitSeconds = Number(env.BENCH_CHUNKED_WAIT ?? 60);
  const problems = [];
  for (const [name, value] of [
    ['--rounds', rounds],
    ['--seconds', seconds],
    ['--idle-connections', idleConnections],
    ['BENCH_CHUNKED_WAIT', chunkedWaitSeconds],
  ]) {
    if (!Number.isInteger(value) || value < 1) problems.push(`${name} takes a whole number >= 1`);
  }
  const onlyIds = flags.only ? list(flags.only) : SCENARIOS.map((s) => s.id);
  problems.push(...onlyIds.filter((id) => !SCENARIOS.some((s) => s.id === id)).map((id) => `unknown scenario: ${id}`));
  const wanted = flags.servers ? [...new Set([...ALWAYS, ...list(flags.servers)])] : Object.keys(SERVERS);
  problems.push(...wanted.filter((id) => !(id in SERVERS)).map((id) => `unknown server: ${id}`));
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${USAGE}`);
  const scenarios = SCENARIOS.filter((s) => onlyIds.includes(s.id));
  // Only servers that some chosen scenario needs are probed (and reported when missing).
  const needed = Object.keys(SERVERS).filter((id) => wanted.includes(id) && scenarios.some((s) => SERVERS[id].runs(s)));
  const unavailable = needed.map((id) => ({ id, reason: SERVERS[id].unavailable() })).filter((entry) => entry.reason !== null);
  return {
    rounds,
    seconds,
    warmupSeconds: 1,
    idleConnections,
    chunkedWaitSeconds,
    scenarios,
    servers: needed.filter((id) => !unavailable.some((entry) => entry.id === id)),
    unavailable,
    checkCounts: flags['check-counts'],
  };
}
