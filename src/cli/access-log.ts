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

/** Escapes a value for a quoted Combined Log Format field, as Apache does. */
function quoted(value: string | undefined): string {
  if (value === undefined) return '"-"';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must be escaped
  return `"${value.replace(/[\x00-\x1f"\\\x7f-\uffff]/g, (c) => (c === '"' || c === '\\' ? `\\${c}` : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))}"`;
}

function combinedLine(record: ResponseRecord, client: string, now: number): string {
  const req = record.request;
  const requestLine = req === null ? undefined : `${req.method} ${req.target} HTTP/${req.httpVersion}`;
  const bytes = record.bytes === 0 ? '-' : String(record.bytes);
  return `${client} - - ${clfNow(now)} ${quoted(requestLine)} ${record.status} ${bytes} ${quoted(req?.header('referer'))} ${quoted(req?.header('user-agent'))}\n`;
}

function jsonLine(record: ResponseRecord, client: string, now: number): string {
  const req = record.request;
  return `${JSON.stringify({
    time: new Date(now).toISOString(),
    remoteAddress: client,
    method: req?.method ?? null,
    target: req?.target ?? null,
    status: record.status,
    bytes: record.bytes,
    durationMs: Math.round(record.durationMs * 1000) / 1000,
    userAgent: req?.header('user-agent') ?? null,
    referer: req?.header('referer') ?? null,
  })}\n`;
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
