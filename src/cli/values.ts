// Parsers for flag values. Each returns the value or throws an Error whose message says
// what was expected; the caller adds which flag or variable it came from.
import { availableParallelism } from 'node:os';

/** Longest delay a Node.js timer accepts. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function parsePort(text: string): number {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) throw new Error('expected a port number from 0 to 65535');
  return Number(text);
}

export function parseNonEmpty(text: string): string {
  if (text === '') throw new Error('must not be empty');
  return text;
}

export function parseCount(text: string): number {
  if (!/^[0-9]{1,9}$/.test(text) || Number(text) < 1) throw new Error('expected a whole number of at least 1');
  return Number(text);
}

/** A number of worker processes, or "auto" for one per CPU core. */
export function parseWorkers(text: string): number {
  if (text === 'auto') return availableParallelism();
  const count = parseCount(text);
  if (count > 1024) throw new Error('expected "auto" or a number from 1 to 1024');
  return count;
}

const DURATION_UNITS = { ms: 1, s: 1000, m: 60_000 };

/** "10" or "10s" (seconds), "500ms", "1.5m" -> milliseconds. */
export function parseDuration(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m)?$/.exec(text);
  if (match === null) throw new Error('expected a duration such as 10, 10s, 500ms or 2m');
  // The pattern admits only these units.
  const unit = (match[2] ?? 's') as keyof typeof DURATION_UNITS;
  const ms = Math.round(Number(match[1]) * DURATION_UNITS[unit]);
  if (ms > MAX_TIMER_MS) throw new Error('duration is too long (24 days at most)');
  return ms;
}

/** A duration that must be positive (a timeout of zero would close every connection at once). */
export function parsePositiveDuration(text: string): number {
  const ms = parseDuration(text);
  if (ms < 1) throw new Error('must be more than 0');
  return ms;
}

const SIZE_UNITS = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** "1048576", "512K", "10M", "64G", "1TiB" (binary units) -> bytes. */
export function parseSize(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(?:i?b)?$/i.exec(text);
  if (match === null) throw new Error('expected a size such as 1048576, 512K, 10M or 64G');
  // The pattern admits only these units.
  const unit = (match[2] ?? '').toLowerCase() as keyof typeof SIZE_UNITS;
  const bytes = Math.floor(Number(match[1]) * SIZE_UNITS[unit]);
  if (!Number.isSafeInteger(bytes)) throw new Error('size is too large');
  return bytes;
}

export function parseLogFormat(text: string): 'combined' | 'json' {
  if (text !== 'combined' && text !== 'json') throw new Error('expected "combined" or "json"');
  return text;
}

/** Boolean environment variables: 1/true/yes/on or 0/false/no/off (empty means off). */
export function parseBoolean(text: string): boolean {
  const lower = text.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(lower)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(lower)) return false;
  throw new Error('expected 1, true, yes, on, 0, false, no or off');
}
