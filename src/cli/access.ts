// Who may do what: the --auth rules, or the default for the address the server is bound to.
import { readFile } from 'node:fs/promises';
import { AccessRules, isLoopbackHost, RuleError } from '../index.js';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './errors.js';
import type { CliOptions } from './options.js';

export interface AccessPlan {
  rules: AccessRules;
  /** Bound to loopback addresses only: nobody else can connect, so writes are allowed by default. */
  loopback: boolean;
  /** For the start-up line. */
  mode: 'read-write' | 'read-only';
  /** Said once at start-up, on stderr. */
  warnings: string[];
}

/** Adds the rules of --auth-file (one per line, # comments) to those of --auth. */
export async function readAuthFile(options: CliOptions): Promise<void> {
  const file = options.authFile;
  if (file === undefined) return;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`--auth-file: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, EXIT_FAILURE);
  }
  const rules: string[] = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    const rule = line.trim();
    if (rule === '' || rule.startsWith('#')) continue;
    try {
      new AccessRules([rule]);
    } catch (error) {
      throw new CliError(`--auth-file: ${file}:${index + 1}: ${(error as Error).message}`, EXIT_USAGE);
    }
    rules.push(rule);
  }
  options.auth = [...options.auth, ...rules];
}

/** The rules in force. Throws CliError (usage) when rules from both sources clash. */
export function accessPlan(options: CliOptions): AccessPlan {
  const loopback = isLoopbackHost(options.host);
  const given = options.auth.length > 0;
  if (given && options.allowWrite) {
    throw new CliError('--allow-write is for servers without --auth rules; grant writes with a rule such as @/:rw', EXIT_USAGE);
  }
  let rules: AccessRules;
  try {
    rules = new AccessRules(given ? options.auth : [loopback || options.allowWrite ? '@/:rw' : '@/:ro']);
  } catch (error) {
    throw new CliError(`--auth: ${(error as RuleError).message}`, EXIT_USAGE);
  }
  if (options.readOnly) rules.readOnly();
  const warnings = rules.plainPasswordUsers.map(
    (user) => `--auth: the password of ${user} is given in plain text; prefer a bcrypt hash (htpasswd -nbB ${user} PASSWORD)`,
  );
  if (rules.logins.size > 0 && !loopback && options.tlsCert === undefined) {
    warnings.push('Basic auth sends passwords in clear text over plain HTTP; serve HTTPS (--tls-cert, --tls-key) or put a TLS proxy in front');
  }
  if (options.cors === '*' && options.corsWrite && rules.writes) {
    warnings.push("--cors '*' with --cors-write lets any web page the users visit change files they may change");
  }
  return { rules, loopback, mode: rules.writes ? 'read-write' : 'read-only', warnings };
}
