import type { Transform } from 'node:stream';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/**
 * Accept-Encoding negotiation (RFC 9110 §12.5.3): picks the supported coding with the highest
 * q-value, breaking ties by the server's order of preference; null means send identity.
 * `*` stands for every coding not named; q=0 means "not acceptable". A coding is only chosen
 * when the client does not prefer identity over it.
 */
export function negotiateEncoding(header: string | undefined, supported: readonly string[]): string | null {
  if (header === undefined || header === '') return null;
  const weights = parseWeights(header);
  const wildcard = weights.get('*');
  let best: string | null = null;
  let bestQ = 0;
  for (const coding of supported) {
    const q = weights.get(coding) ?? wildcard ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  const identityQ = weights.get('identity') ?? 0;
  return identityQ > bestQ ? null : best;
}

function parseWeights(header: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const item of header.split(',')) {
    const [rawName = '', ...params] = item.split(';');
    const name = rawName.trim().toLowerCase();
    if (name === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.split('=').map((part) => part.trim());
      if (key?.toLowerCase() === 'q') {
        const parsed = /^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$/.test(value ?? '') ? Number(value) : NaN;
        q = Number.isNaN(parsed) ? 0 : parsed;
      }
    }
    weights.set(name, q);
  }
  return weights;
}

/** One content coding: a streaming compressor, and the same compression of a whole body off the main thread. */
interface Coder {
  stream: () => Transform;
  whole: (body: Buffer) => Promise<Buffer>;
}

/** Node 22.15+ has zstd; older versions do not, so it is only offered when present. */
const { createZstdCompress, zstdCompress } = zlib as unknown as {
  createZstdCompress?: () => Transform;
  zstdCompress?: (body: Buffer, done: (error: Error | null, result: Buffer) => void) => void;
};

/** Brotli runs at a fast level: the streaming and the whole-body compressor share these. */
const BROTLI_OPTIONS: zlib.BrotliOptions = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };
const GZIP_OPTIONS: zlib.ZlibOptions = { level: 6 };

/**
 * The codings, in the server's order of preference. A whole body goes through zlib's callback
 * API, which compresses on the thread pool (looked up at each call, so a test can count them).
 */
const CODERS: ReadonlyMap<string, Coder> = new Map<string, Coder>([
  ...(createZstdCompress !== undefined && zstdCompress !== undefined
    ? [['zstd', { stream: () => createZstdCompress(), whole: (body: Buffer) => promisify(zstdCompress)(body) }] as const]
    : []),
  ['br', { stream: () => zlib.createBrotliCompress(BROTLI_OPTIONS), whole: (body) => promisify(zlib.brotliCompress)(body, BROTLI_OPTIONS) }],
  ['gzip', { stream: () => zlib.createGzip(GZIP_OPTIONS), whole: (body) => promisify(zlib.gzip)(body, GZIP_OPTIONS) }],
]);

/** Codings this server can apply on the fly, most preferred first. */
export const DYNAMIC_CODINGS: readonly string[] = [...CODERS.keys()];

/** A fresh streaming compressor for a coding from DYNAMIC_CODINGS. */
export function createCompressor(coding: string): Transform {
  return coderFor(coding).stream();
}

/** `body` compressed whole in a coding from DYNAMIC_CODINGS, on zlib's thread pool. */
export function compressWhole(coding: string, body: Buffer): Promise<Buffer> {
  return coderFor(coding).whole(body);
}

function coderFor(coding: string): Coder {
  const coder = CODERS.get(coding);
  if (coder === undefined) throw new Error(`Unsupported coding: ${coding}`);
  return coder;
}

/** Bodies smaller than this are sent as they are: compressing them saves nothing worth the work. */
export const MIN_COMPRESS_BYTES = 1024;

/**
 * Media types worth compressing: text and text-like formats. Everything else (images, audio,
 * video, archives, unknown binaries) is usually compressed already or not worth the CPU.
 */
export function isCompressible(mediaType: string): boolean {
  const type = (mediaType.split(';')[0] ?? '').trim().toLowerCase();
  if (type.startsWith('text/')) return true;
  if (type.endsWith('+json') || type.endsWith('+xml')) return true;
  return COMPRESSIBLE_TYPES.has(type);
}

const COMPRESSIBLE_TYPES = new Set([
  'application/json',
  'application/javascript',
  'application/xml',
  'application/wasm',
  'application/x-tar',
  'application/x-sh',
  'application/sql',
  'application/toml',
  'application/yaml',
  'application/x-ndjson',
  'application/vnd.ms-fontobject',
  'font/ttf',
  'font/otf',
  'image/svg+xml',
  'image/bmp',
  'image/x-icon',
  'image/vnd.microsoft.icon',
]);
