// Parsers for the access flags' values; like values.ts, errors say what is wrong and the
// caller adds which flag it was.
import { AccessRules } from '../index.js';
import { hostMatcher } from '../api/host-guard.js';
import { normalizeOrigin } from '../api/origin-guard.js';

/** --auth: every rule must parse (the error names the rule, its secret masked). */
export function parseAuthRules(texts: readonly string[]): string[] {
  new AccessRules(texts); // throws RuleError naming the first bad rule
  return [...texts];
}

/** --allowed-hosts: "files.example.com,*.example.org,192.168.1.5". */
export function parseAllowedHosts(text: string): string[] {
  const hosts = text.split(',').map((host) => host.trim()).filter((host) => host !== '');
  if (hosts.length === 0) throw new Error('expected host names separated by commas');
  hostMatcher(hosts);
  return hosts;
}

/** --cors: origins ("https://app.example.com"), or "*" alone for any origin. */
export function parseCorsOrigins(texts: readonly string[]): string[] | '*' {
  if (texts.includes('*')) {
    if (texts.length > 1) throw new Error('"*" already allows every origin; give it alone');
    return '*';
  }
  return texts.map(normalizeOrigin);
}
