import type { ResponseRecord } from '../index.js';
import { proxiedClientAddress } from './client-address.js';

export type LogFormat = 'combined' | 'json';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Combined Log Format's "[10/Oct/2000:13:55:36 +0000]" (UTC), rebuilt once per second. */
let clfSecond = -1;
let clfTime = '';
function clfNow(now: number): string {
  const second = Math.floor(now / 1000);
  if (second !== clfSecond) {
    const d = new Date(second * 1000);
    const two = (n: number): string => String(n).padStart(2, '0');
    clfTime = `[${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000]`;
    clfSecond = second;
  }
  return clfTime;
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
const NEEDS_ESCAPE = /[\x00-\x1f"\\\x7f-\uffff]/;
// eslint-disable-next-line no-control-regex -- as above
const NEEDS_ESCAPE_ALL = /[\x00-\x1f"\\\x7f-\uffff]/g;

/** Escapes a value for a quoted Combined Log Format field, as Apache does. */
function quoted(value: string | undefined): string {
  if (value === undefined) return '"-"';
  if (!NEEDS_ESCAPE.test(value)) return `"${value}"`; // the common case, without allocating
  return `"${value.replace(NEEDS_ESCAPE_ALL, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))}"`;
}

function combinedLine(record: ResponseRecord, client: string, now: number): string {
  const req = record.request;
  const requestLine = req === null ? undefined : `${req.method} ${req.target} HTTP/${req.httpVersion}`;
  const bytes = record.bytes === 0 ? '-' : String(record.bytes);
  return `${client} - - ${clfNow(now)} ${quoted(requestLine)} ${record.status} ${bytes} ${quoted(req?.header('referer'))} ${quoted(req?.header('user-agent'))}\n`;
}

/** ISO 8601 time, rebuilt only when the millisecond changes. */
let isoMs = -1;
let isoTime = '';
function isoNow(now: number): string {
  if (now !== isoMs) {
    isoTime = new Date(now).toISOString();
    isoMs = now;
  }
  return isoTime;
}

/** JSON text of a string, or null; plain values skip JSON.stringify. */
function jsonString(value: string | undefined): string {
  if (value === undefined) return 'null';
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
}

function jsonLine(record: ResponseRecord, client: string, now: number): string {
  const req = record.request;
  const duration = Math.round(record.durationMs * 1000) / 1000;
  return (
    `{"time":"${isoNow(now)}","remoteAddress":${jsonString(client)},"method":${jsonString(req?.method)},` +
    `"target":${jsonString(req?.target)},"status":${record.status},"bytes":${record.bytes},"durationMs":${duration},` +
    `"userAgent":${jsonString(req?.header('user-agent'))},"referer":${jsonString(req?.header('referer'))}}\n`
  );
}

/** Builds the server's onResponse hook: formats one line per exchange and hands it to `push`. */
export function accessLogger(format: LogFormat, trustProxy: boolean, push: (line: string) => void): (record: ResponseRecord) => void {
  const line = format === 'json' ? jsonLine : combinedLine;
  return (record) => {
    const client =
      trustProxy && record.request !== null ? proxiedClientAddress(record.request, record.remoteAddress) : record.remoteAddress;
    push(line(record, client, Date.now()));
  };
}
