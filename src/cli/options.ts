// The command line: every flag, its default, its environment variable and its parser.
import { parseArgs } from 'node:util';
import { CliError, EXIT_USAGE } from './errors.js';
import {
  parseBoolean,
  parseCount,
  parseDuration,
  parseLogFormat,
  parseNonEmpty,
  parsePort,
  parsePositiveDuration,
  parseSize,
  parseWorkers,
} from './values.js';
import { parseAllowedHosts, parseAuthRules, parseCorsOrigins } from './access-values.js';

interface Flag<T> {
  /** Placeholder shown in --help; null for a switch, which takes no value. */
  placeholder: string | null;
  short?: string;
  description: string;
  /** Shown in --help; for valued flags it is also the text parsed when nothing is given. */
  defaultText: string;
  /** Turns the given text (undefined: neither flag nor variable set) into the value. */
  read: (text: string | undefined) => T;
  /** Set for flags that may be given several times; their variable holds the values split by `split`. */
  repeat?: { readAll: (texts: readonly string[]) => T; split: (text: string) => string[]; envHint: string };
}

function valued<T>(placeholder: string, defaultText: string, description: string, parse: (text: string) => T, short?: string): Flag<T> {
  return { placeholder, short, description, defaultText, read: (text) => parse(text ?? defaultText) };
}

function optional<T>(placeholder: string, description: string, parse: (text: string) => T, short?: string): Flag<T | undefined> {
  return { placeholder, short, description, defaultText: 'none', read: (text) => (text === undefined ? undefined : parse(text)) };
}

/**
 * A flag given once per value. Its parser sees every value at once and its errors are shown as
 * they are, without the values: they may contain passwords.
 */
function repeated<T>(placeholder: string, description: string, readAll: (texts: readonly string[]) => T, envHint: string, split: (text: string) => string[]): Flag<T> {
  return {
    placeholder,
    description,
    defaultText: 'none',
    read: (text) => readAll(text === undefined ? [] : [text]),
    repeat: { readAll, split, envHint },
  };
}

const words = (text: string): string[] => text.split(/\s+/).filter((word) => word !== '');

function toggle(description: string): Flag<boolean> {
  return { placeholder: null, description, defaultText: 'off', read: (text) => (text === undefined ? false : parseBoolean(text)) };
}

const FLAGS = {
  port: valued('N', '4221', 'TCP port to listen on; 0 picks a free one', parsePort, 'p'),
  host: valued('ADDR', 'localhost', 'address to bind; localhost = 127.0.0.1 and ::1, 0.0.0.0 or :: for all', parseNonEmpty, 'H'),
  directory: optional('DIR', 'directory served and stored under /files/', parseNonEmpty, 'd'),
  hidden: toggle('also serve and list dot-files in DIR'),
  index: toggle("a folder's index.html is served instead of its listing"),
  spa: toggle('unknown names answer browsers with the root index.html (single-page apps)'),
  workers: valued('N|auto', '1', 'processes sharing the port; auto = one per CPU core', parseWorkers, 'w'),
  logFormat: valued('FORMAT', 'combined', 'access log on stdout: combined or json', parseLogFormat),
  quiet: toggle('no access log'),
  tlsCert: optional('FILE', 'serve HTTPS with this PEM certificate chain (needs --tls-key)', parseNonEmpty),
  tlsKey: optional('FILE', 'PEM private key for --tls-cert', parseNonEmpty),
  trustProxy: toggle('log the client address from Forwarded / X-Forwarded-For'),
  keepAliveTimeout: valued('TIME', '5s', 'close idle keep-alive connections after TIME (behind a proxy: longer than its idle timeout)', parsePositiveDuration),
  headersTimeout: valued('TIME', '10s', 'a request head must arrive within TIME (408 after)', parsePositiveDuration),
  bodyTimeout: valued('TIME', '30s', 'abandon a request body that stalls for TIME', parsePositiveDuration),
  sendTimeout: valued('TIME', '60s', 'close a connection whose client takes no response byte for TIME', parsePositiveDuration),
  shutdownDelay: valued('TIME', '0s', 'on SIGTERM/SIGINT, first fail /healthz (503) for TIME, still serving', parseDuration),
  shutdownTimeout: valued('TIME', '10s', 'on SIGTERM/SIGINT (after --shutdown-delay), wait up to TIME for requests in flight', parseDuration),
  maxBodySize: valued('SIZE', '64G', 'largest request body (413 beyond)', parseSize),
  maxConnections: valued('N', '20000', 'most open connections per process (503 beyond)', parseCount),
  maxPathDepth: valued('N', '64', 'most path segments a PUT/POST under /files/ may name (414 beyond)', parseCount),
  auth: repeated('RULE', 'access rule USER:SECRET@PATH[:ro|:rw][,...] or @PATH[...]; repeatable', parseAuthRules, 'rules separated by spaces', words),
  authFile: optional('FILE', 'more --auth rules, one per line, # comments', parseNonEmpty),
  readOnly: toggle('refuse every write, whatever the rules say'),
  allowWrite: toggle('allow anonymous writes on a non-loopback address (read-only otherwise)'),
  allowedHosts: optional('LIST', 'Host names to answer (comma-separated, *.example.com wildcards)', parseAllowedHosts),
  cors: repeated('ORIGIN', 'let pages from ORIGIN (or *) read responses; repeatable', parseCorsOrigins, 'origins separated by spaces', words),
  corsWrite: toggle('also let the --cors origins make changes'),
};

type FlagName = keyof typeof FLAGS;
export type CliOptions = { [K in FlagName]: ReturnType<(typeof FLAGS)[K]['read']> };
export type Command = { kind: 'help' } | { kind: 'version' } | { kind: 'serve'; options: CliOptions };

const FLAG_NAMES = Object.keys(FLAGS) as FlagName[];

/** "keepAliveTimeout" -> "keep-alive-timeout" (the flag without its dashes). */
function longName(name: FlagName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function flagOf(name: FlagName): string {
  return `--${longName(name)}`;
}

function envOf(name: FlagName): string {
  return `WIREHTTP_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}

/** Reads flags (which win) and WIREHTTP_* environment variables; throws CliError on bad input. */
export function parseCommand(argv: string[], env: NodeJS.ProcessEnv): Command {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const name of FLAG_NAMES) {
    const flag = FLAGS[name];
    const type = flag.placeholder === null ? 'boolean' : 'string';
    const multiple = flag.repeat !== undefined;
    config[longName(name)] = flag.short === undefined ? { type, multiple } : { type, short: flag.short, multiple };
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: config, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new CliError(describeArgError(error as Error & { code?: string }), EXIT_USAGE);
  }
  if (values['help'] === true) return { kind: 'help' };
  if (values['version'] === true) return { kind: 'version' };
  const options = {} as Record<FlagName, unknown>;
  for (const name of FLAG_NAMES) {
    const repeat = FLAGS[name].repeat;
    if (repeat !== undefined) {
      const given = values[longName(name)];
      const fromEnv = given === undefined ? env[envOf(name)] || undefined : undefined;
      try {
        options[name] = repeat.readAll(Array.isArray(given) ? given.map(String) : fromEnv !== undefined ? repeat.split(fromEnv) : []);
      } catch (error) {
        const source = fromEnv !== undefined ? `${envOf(name)} (${flagOf(name)})` : flagOf(name);
        throw new CliError(`${source}: ${(error as Error).message}`, EXIT_USAGE);
      }
      continue;
    }
    const given = values[longName(name)];
    const fromFlag = given === undefined ? undefined : String(given);
    // An empty variable (FOO= in a compose file or unit) means "not set".
    const fromEnv = fromFlag === undefined ? env[envOf(name)] || undefined : undefined;
    try {
      options[name] = FLAGS[name].read(fromFlag ?? fromEnv);
    } catch (error) {
      const source = fromEnv !== undefined ? `${envOf(name)} (${flagOf(name)})` : flagOf(name);
      const shown = fromFlag ?? fromEnv ?? FLAGS[name].defaultText;
      throw new CliError(`${source}: ${(error as Error).message}, got "${shown}"`, EXIT_USAGE);
    }
  }
  const parsed = options as CliOptions;
  if ((parsed.tlsCert === undefined) !== (parsed.tlsKey === undefined)) {
    throw new CliError('--tls-cert and --tls-key must be given together', EXIT_USAGE);
  }
  if (parsed.readOnly && parsed.allowWrite) throw new CliError('--read-only and --allow-write contradict each other', EXIT_USAGE);
  if (parsed.corsWrite && parsed.cors.length === 0) throw new CliError('--cors-write needs --cors ORIGIN', EXIT_USAGE);
  return { kind: 'serve', options: parsed };
}

/** node:util's messages are long; keep one line that names the flag. */
function describeArgError(error: Error & { code?: string }): string {
  const flag = /'(?:-\w, )?(-[^' ]+)/.exec(error.message)?.[1] ?? '';
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag} (see --help)`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(error.message)?.[1] ?? ''} (see --help)`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return error.message.includes('does not take') ? `${flag} takes no value` : `${flag} needs a value`;
    default:
      return error.message;
  }
}

/** The --help text: every flag with its default and environment variable. */
export function helpText(): string {
  const lines = [
    'Usage: wirehttp [options]',
    '',
    'Serves GET /, /echo/{text}, /user-agent and /healthz and, with --directory, the files',
    'of DIR under /files/{name}: a browser page to open at /files/; GET to download or list,',
    'PUT or POST to upload (a raw body, or the files of a multipart form), DELETE to remove.',
    '',
    'Options (every option can also be set by its environment variable; the flag wins):',
  ];
  for (const name of FLAG_NAMES) {
    const flag = FLAGS[name];
    const short = flag.short !== undefined ? `-${flag.short}, ` : '    ';
    const left = `  ${short}${flagOf(name)}${flag.placeholder !== null ? ` ${flag.placeholder}` : ''}`;
    lines.push(`${left.padEnd(34)}${flag.description}`);
    const env = flag.repeat !== undefined ? `${envOf(name)} (${flag.repeat.envHint})` : envOf(name);
    lines.push(`${''.padEnd(34)}default: ${flag.defaultText}, env: ${env}`);
  }
  lines.push(
    '  -h, --help                      show this help and exit',
    '  -v, --version                   print the version and exit',
    '',
    'TIME: seconds, or with a unit: 500ms, 10s, 2m. SIZE: bytes, or with a unit: 512K, 10M, 64G.',
    'Switches read from the environment take 1/true/yes/on or 0/false/no/off; empty variables are ignored.',
    'Exit codes: 0 stopped cleanly, 1 could not start, 2 invalid option,',
    '128+signal when a second SIGINT/SIGTERM stops it at once.',
    '',
  );
  return lines.join('\n');
}
