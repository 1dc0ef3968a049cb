import { HttpError } from '../../../index.js';

/** The Depth header's values (RFC 4918 §10.2). */
export type Depth = '0' | '1' | 'infinity';

/** Depth, `fallback` when absent; a value outside `allowed` (or not a Depth) → 400. */
export function parseDepth(value: string | undefined, fallback: Depth, allowed: readonly Depth[]): Depth {
  if (value === undefined) return fallback;
  const depth = value.trim().toLowerCase();
  if ((depth === '0' || depth === '1' || depth === 'infinity') && allowed.includes(depth)) return depth;
  throw new HttpError(400, `Depth must be ${allowed.join(' or ')}`);
}

/** Overwrite (RFC 4918 §10.6): "T" (the default) or "F"; anything else → 400. */
export function parseOverwrite(value: string | undefined): boolean {
  if (value === undefined) return true;
  const flag = value.trim().toUpperCase();
  if (flag === 'T') return true;
  if (flag === 'F') return false;
  throw new HttpError(400, 'Overwrite must be T or F');
}

/**
 * Timeout (RFC 4918 §10.7): the client's list of wishes ("Second-600, Infinite"); the first
 * one understood is granted, capped at `max` seconds. Absent or not understood → `max`.
 */
export function parseTimeout(value: string | undefined, max: number): number {
  if (value === undefined) return max;
  for (const item of value.split(',')) {
    const wish = item.trim();
    if (wish.toLowerCase() === 'infinite') return max;
    const match = /^second-(\d{1,12})$/i.exec(wish);
    if (match !== null) return Math.max(1, Math.min(max, Number(match[1])));
  }
  return max;
}

/**
 * Destination (RFC 4918 §10.3): an absolute URI or an absolute path. Returns the decoded name
 * below `prefix` (like a route's "*" parameter). Missing or malformed → 400; another host →
 * 502 (this server cannot write there); outside `prefix` on this host → 403.
 */
export function parseDestination(value: string | undefined, host: string | undefined, prefix: string): string {
  if (value === undefined || value.trim() === '') throw new HttpError(400, 'Destination header missing');
  const text = value.trim();
  let path: string;
  if (text.startsWith('/')) {
    path = text;
  } else {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new HttpError(400, 'Destination is not a URI');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new HttpError(502, 'Destination is on another server');
    if (host === undefined || url.host.toLowerCase() !== normalHost(host, url.protocol)) {
      throw new HttpError(502, 'Destination is on another server');
    }
    path = url.pathname;
  }
  path = path.replace(/[?#].*$/s, '');
  if (!path.startsWith(prefix)) throw new HttpError(403, `Destination must be below ${prefix}`);
  try {
    return decodeURIComponent(path.slice(prefix.length));
  } catch {
    throw new HttpError(400, 'Malformed percent-encoding in Destination');
  }
}

/** A Host header value as URL.host would print it (default port dropped, lower case). */
function normalHost(host: string, protocol: string): string {
  const lower = host.trim().toLowerCase();
  const port = protocol === 'https:' ? ':443' : ':80';
  return lower.endsWith(port) ? lower.slice(0, -port.length) : lower;
}
