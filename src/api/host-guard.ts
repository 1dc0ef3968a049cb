// Refuses requests whose Host names a server other than this one: the defence against DNS
// rebinding, where a page re-points its own name at 127.0.0.1 and then reads from us as
// "same origin".
import { BlockList, isIP } from 'node:net';
import { sendText } from './router.js';
import type { Middleware } from './middleware.js';

export interface HostGuardOptions {
  /**
   * Host names (and IP addresses) to accept, any port; "*.example.com" accepts every name
   * below example.com. Default: loopback only — localhost, *.localhost and loopback addresses.
   */
  allow?: readonly string[];
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True for localhost, *.localhost (RFC 6761) and loopback IP addresses, bracketed or not. */
export function isLoopbackHost(name: string): boolean {
  const host = normalizeName(name);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const family = isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/** Lower case, no brackets, no trailing dot: the forms a Host header and a list entry share. */
function normalizeName(name: string): string {
  let host = name.toLowerCase();
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return host.endsWith('.') ? host.slice(0, -1) : host;
}

/** The name part of a Host header value ("[::1]:4221" → "::1", "a.example:80" → "a.example"). */
export function hostName(value: string): string {
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    return close < 0 ? value : value.slice(1, close);
  }
  const colon = value.indexOf(':');
  return normalizeName(colon < 0 ? value : value.slice(0, colon));
}

/** A test for host names built from an allow list; throws TypeError for an unusable entry. */
export function hostMatcher(allow: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  for (const entry of allow) {
    const name = normalizeName(entry.trim());
    if (name === '' || (/[/:@\s]/.test(name) && isIP(name) === 0)) throw new TypeError(`not a host name: "${entry}"`);
    if (name.startsWith('*.')) suffixes.push(name.slice(1));
    else if (name.includes('*')) throw new TypeError(`"*" may only start a host name ("*.example.com"): "${entry}"`);
    else exact.add(isIP(name) === 6 ? canonicalIPv6(name) : name);
  }
  return (name) => {
    const host = normalizeName(name);
    if (exact.has(isIP(host) === 6 ? canonicalIPv6(host) : host)) return true;
    return suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
  };
}

/** "0:0::1" and "::1" name the same address. */
function canonicalIPv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname;
}

/**
 * Answers 421 Misdirected Request when the Host header names a host not allowed. A request
 * without Host (HTTP/1.0) cannot come from a browser page and passes.
 */
export function hostGuard(options: HostGuardOptions = {}): Middleware {
  const allowed = options.allow === undefined ? isLoopbackHost : hostMatcher(options.allow);
  /**
   * Host values already accepted: a server sees few of them, and one lookup costs ~10 ns where
   * parsing and matching cost ~150 ns (measured per call in a loop) — about 1% of an echo request.
   */
  const accepted = new Set<string>();
  return (next) => (req, res) => {
    const host = req.header('host');
    if (host === undefined || accepted.has(host)) return next(req, res);
    if (!allowed(hostName(host))) return sendText(res, 421, 'Misdirected Request: this server does not answer for that host name\n');
    if (accepted.size < ACCEPTED_LIMIT) accepted.add(host);
    return next(req, res);
  };
}

const ACCEPTED_LIMIT = 256;
