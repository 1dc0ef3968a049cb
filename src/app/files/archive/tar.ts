import { memberContent, type ArchiveEntry } from './entry.js';

const BLOCK = 512;
/** Largest value of an 11-digit octal field (8 GiB - 1 for sizes). */
const MAX_OCTAL_11 = 0o77777777777;

/**
 * A streamed POSIX tar (pax interchange format over ustar). A name that ustar cannot hold
 * exactly (longer than its 100 + 155 byte fields, or not ASCII) and a size of 8 GiB or more
 * travel in a pax extended header before the member, which every current tar understands.
 */
export async function* tarStream(entries: AsyncIterable<ArchiveEntry>): AsyncGenerator<Buffer> {
  for await (const entry of entries) {
    const name = entry.kind === 'folder' ? `${entry.path}/` : entry.path;
    const size = entry.kind === 'file' ? entry.size : 0;
    const split = ustarName(name);
    const pax: [string, string][] = [];
    if (split === null) pax.push(['path', name]);
    if (size > MAX_OCTAL_11) pax.push(['size', String(size)]);
    if (pax.length > 0) yield paxHeader(name, pax);
    yield header({
      name: split?.name ?? asciiFallback(name, 100),
      prefix: split?.prefix ?? '',
      mode: entry.mode & 0o7777,
      size: size > MAX_OCTAL_11 ? 0 : size,
      mtime: entry.mtime,
      type: entry.kind === 'folder' ? '5' : '0',
    });
    if (entry.kind === 'file') {
      yield* memberContent(entry, ignore);
      const rest = entry.size % BLOCK;
      if (rest !== 0) yield Buffer.alloc(BLOCK - rest);
    }
  }
  yield Buffer.alloc(2 * BLOCK); // end of archive
}

function ignore(): void {}

interface Header {
  name: string;
  prefix: string;
  mode: number;
  size: number;
  mtime: Date;
  /** '0' regular file, '5' directory, 'x' pax extended header for the next member. */
  type: '0' | '5' | 'x';
}

function header(fields: Header): Buffer {
  const out = Buffer.alloc(BLOCK);
  out.write(fields.name, 0, 100, 'utf8');
  writeOctal(out, 100, 8, fields.mode);
  writeOctal(out, 108, 8, 0); // uid
  writeOctal(out, 116, 8, 0); // gid
  writeOctal(out, 124, 12, fields.size);
  writeOctal(out, 136, 12, Math.min(Math.max(Math.floor(fields.mtime.getTime() / 1000), 0), MAX_OCTAL_11));
  out.write(fields.type, 156, 1, 'latin1');
  out.write('ustar\u000000', 257, 8, 'latin1');
  out.write(fields.prefix, 345, 155, 'utf8');
  // The checksum is computed with its own field read as eight spaces.
  out.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of out) sum += byte;
  out.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
  return out;
}

function writeOctal(out: Buffer, at: number, width: number, value: number): void {
  out.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, at, width, 'latin1');
}

/** A pax 'x' header carrying `records` for the member named `name`, padded to whole blocks. */
function paxHeader(name: string, records: readonly [string, string][]): Buffer {
  const body = Buffer.from(records.map(([key, value]) => paxRecord(key, value)).join(''), 'utf8');
  const base = name.replace(/\/$/, '').split('/').at(-1) ?? '';
  const head = header({
    name: asciiFallback(`PaxHeaders/${base}`, 100),
    prefix: '',
    mode: 0o644,
    size: body.length,
    mtime: new Date(0),
    type: 'x',
  });
  const padding = (BLOCK - (body.length % BLOCK)) % BLOCK;
  return Buffer.concat([head, body, Buffer.alloc(padding)]);
}

/** "<length> <key>=<value>\n", where the length counts its own digits too. */
function paxRecord(key: string, value: string): string {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  let length = rest + String(rest).length;
  if (String(length).length !== String(rest).length) length = rest + String(length).length;
  return `${String(length)} ${key}=${value}\n`;
}

/**
 * Splits a name into ustar's prefix (155 bytes) and name (100 bytes) fields at a "/", or
 * returns null when it cannot be stored there exactly (too long, or not plain ASCII).
 */
function ustarName(name: string): { name: string; prefix: string } | null {
  if (!/^[\x20-\x7e]*$/.test(name)) return null;
  if (name.length <= 100) return { name, prefix: '' };
  // A folder's trailing "/" stays with the last segment.
  const body = name.endsWith('/') ? name.slice(0, -1) : name;
  for (let cut = body.indexOf('/'); cut >= 0; cut = body.indexOf('/', cut + 1)) {
    const prefix = name.slice(0, cut);
    const rest = name.slice(cut + 1);
    if (prefix.length <= 155 && rest.length <= 100 && rest !== '') return { name: rest, prefix };
  }
  return null;
}

/** A stand-in for the ustar field when pax carries the real name: ASCII, cut to `limit` bytes. */
function asciiFallback(name: string, limit: number): string {
  return name.replace(/[^\x20-\x7e]/g, '_').slice(0, limit);
}
