import { HttpError } from '../../../index.js';

/** The one protocol version spoken, and the extensions offered (OPTIONS, Tus-Extension). */
export const TUS_VERSION = '1.0.0';
export const TUS_EXTENSIONS = 'creation,creation-with-upload,creation-defer-length,termination,expiration,checksum';
/** Upload-Checksum algorithms, as tus names them → node:crypto names. */
export const CHECKSUM_ALGORITHMS: ReadonlyMap<string, string> = new Map([
  ['sha1', 'sha1'],
  ['sha256', 'sha256'],
  ['md5', 'md5'],
]);
export const OFFSET_CONTENT_TYPE = 'application/offset+octet-stream';

/** tus's own status for a chunk whose Upload-Checksum does not match its bytes. */
export const CHECKSUM_MISMATCH = 460;

/**
 * Each parser below is pure: a header's raw value (undefined when absent) in, a value out, or an
 * HttpError with the status tus prescribes. The routes add the Tus-Resumable header to every
 * answer, errors included.
 */

/** Tus-Resumable must name the version spoken here; anything else (or nothing) is 412. */
export function checkTusResumable(value: string | undefined): void {
  if (value?.trim() !== TUS_VERSION) throw new HttpError(412, `Unsupported tus version (Tus-Version: ${TUS_VERSION})`);
}

/** Upload-Offset: a non-negative decimal integer. */
export function parseUploadOffset(value: string | undefined): number {
  if (value === undefined) throw new HttpError(400, 'Upload-Offset is required');
  return parseNonNegative(value, 'Upload-Offset');
}

/** The length of a new upload: Upload-Length, or null for Upload-Defer-Length: 1 (never both). */
export function parseCreationLength(length: string | undefined, defer: string | undefined): number | null {
  if (length !== undefined && defer !== undefined) throw new HttpError(400, 'Send Upload-Length or Upload-Defer-Length, not both');
  if (defer !== undefined) {
    if (defer.trim() !== '1') throw new HttpError(400, 'Upload-Defer-Length must be 1');
    return null;
  }
  if (length === undefined) throw new HttpError(400, 'Upload-Length or Upload-Defer-Length is required');
  return parseNonNegative(length, 'Upload-Length');
}

/** An optional Upload-Length (a PATCH may declare a deferred length). */
export function parseUploadLength(value: string | undefined): number | null {
  return value === undefined ? null : parseNonNegative(value, 'Upload-Length');
}

function parseNonNegative(value: string, name: string): number {
  const text = value.trim();
  if (!/^[0-9]{1,16}$/.test(text) || !Number.isSafeInteger(Number(text))) throw new HttpError(400, `Invalid ${name}`);
  return Number(text);
}

/**
 * Upload-Metadata: comma-separated pairs "key base64value" (the value may be left out).
 * Keys are unique, non-empty and free of spaces and commas; values are strict base64.
 * Returns the values decoded as UTF-8 text (null for a key without a value).
 */
export function parseUploadMetadata(value: string | undefined): Map<string, string | null> {
  const pairs = new Map<string, string | null>();
  if (value === undefined || value.trim() === '') return pairs;
  for (const item of value.split(',')) {
    const [key = '', encoded, ...extra] = item.trim().split(' ');
    if (key === '' || extra.length > 0 || pairs.has(key)) throw new HttpError(400, 'Invalid Upload-Metadata');
    pairs.set(key, encoded === undefined ? null : decodeBase64Text(encoded));
  }
  return pairs;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBase64Text(encoded: string): string {
  if (!BASE64.test(encoded)) throw new HttpError(400, 'Invalid Upload-Metadata: not base64');
  try {
    return utf8.decode(Buffer.from(encoded, 'base64'));
  } catch {
    throw new HttpError(400, 'Invalid Upload-Metadata: not UTF-8');
  }
}

export interface Checksum {
  /** node:crypto's name of the algorithm. */
  algorithm: string;
  digest: Buffer;
}

/** Upload-Checksum: "<algorithm> <base64 digest>"; an algorithm not offered is 400. */
export function parseUploadChecksum(value: string | undefined): Checksum | null {
  if (value === undefined) return null;
  const [name = '', encoded = '', ...rest] = value.trim().split(' ');
  const algorithm = CHECKSUM_ALGORITHMS.get(name.toLowerCase());
  if (algorithm === undefined) throw new HttpError(400, `Unsupported checksum algorithm (Tus-Checksum-Algorithm: ${[...CHECKSUM_ALGORITHMS.keys()].join(',')})`);
  if (rest.length > 0 || encoded === '' || !BASE64.test(encoded)) throw new HttpError(400, 'Invalid Upload-Checksum');
  return { algorithm, digest: Buffer.from(encoded, 'base64') };
}

/** Content-Type of a PATCH (parameters and case ignored) must be application/offset+octet-stream. */
export function checkPatchType(value: string | undefined): void {
  const type = value?.split(';')[0]?.trim().toLowerCase();
  if (type !== OFFSET_CONTENT_TYPE) throw new HttpError(415, `Content-Type must be ${OFFSET_CONTENT_TYPE}`);
}
