import { DYNAMIC_CODINGS, MIN_COMPRESS_BYTES, isCompressible, negotiateEncoding } from './content-coding.js';
import { contentRange, multipartLayout, parseRange, type ByteRange, type MultipartLayout } from './ranges.js';
import { codedTag, evaluatePreconditions, ifRangeHolds, type RequestFacts } from './validators.js';

/**
 * Deciding the response to GET or HEAD of a regular file, apart from sending it: a pure
 * function from the request's headers and the file's facts to a status, headers and where the
 * body comes from. The in-memory (cache hit) path and the disk path both ask it, so they
 * cannot disagree on a header or a precondition.
 */

/** What the decision needs to know about the file, from its stat or from the cache. */
export interface FileFacts {
  /** Content-Type. */
  type: string;
  size: number;
  /** The strong entity tag of the file's own bytes. */
  etag: string;
  mtimeMs: number;
  /** Last-Modified, an HTTP-date. */
  lastModified: string;
}

/** A compressed copy stored beside the file (name.gz, ...) that the client accepts. */
export interface StoredCopy {
  coding: string;
  size: number;
  /** The strong entity tag of the copy's bytes. */
  etag: string;
}

/** Where the body comes from; `none` also covers HEAD's missing body, which the sender handles. */
export type BodySource =
  | { kind: 'none' }
  | { kind: 'text'; text: string }
  /** The file's bytes as they are; the sender sets Content-Length from the bytes it has. */
  | { kind: 'whole' }
  | { kind: 'range'; range: ByteRange }
  | { kind: 'multipart'; layout: MultipartLayout }
  | { kind: 'stored'; copy: StoredCopy }
  /** Compressed on the fly: while streamed (chunked), or once and kept when the cache keeps the file. */
  | { kind: 'compressed'; coding: string };

export interface FileResponse {
  status: number;
  /** In the order they are set; a later name replaces an earlier one. */
  headers: [name: string, value: string | number][];
  body: BodySource;
}

/**
 * The ranges a request may have applied (RFC 9110 §14.2, If-Range §13.1.5): null for the
 * whole file, [] when nothing is satisfiable.
 */
export function requestedRanges(req: RequestFacts, file: FileFacts): ByteRange[] | null {
  return ifRangeHolds(req, file) ? parseRange(req.header('range'), file.size) : null;
}

/**
 * True when the response could carry a content coding, so a stored compressed copy is worth
 * looking for: the whole file is wanted, its type compresses, and the client names codings.
 */
export function mayEncode(req: RequestFacts, file: FileFacts): boolean {
  const accept = req.header('accept-encoding');
  return accept !== undefined && accept !== '' && isCompressible(file.type) && requestedRanges(req, file) === null;
}

/**
 * True when the response is the plain one, whatever the file's size and dates: 200, the whole
 * file, `plainHeaders`. The request names no range and no precondition, and — when the file's
 * type compresses — no content coding (so `mayEncode` is false: no stored copy is looked for).
 * A cache hit checks this first and answers from the entry's precomputed head.
 */
export function isPlainRequest(req: RequestFacts, compressible: boolean): boolean {
  if (compressible) {
    const accept = req.header('accept-encoding');
    if (accept !== undefined && accept !== '') return false;
  }
  return (
    req.header('range') === undefined &&
    req.header('if-none-match') === undefined &&
    req.header('if-modified-since') === undefined &&
    req.header('if-match') === undefined &&
    req.header('if-unmodified-since') === undefined
  );
}

/** The headers of the plain response to a request for the whole file (see isPlainRequest). */
export function plainHeaders(file: FileFacts): FileResponse['headers'] {
  return fileHeaders(file.type, file.etag, file.lastModified);
}

/**
 * The response: validators and conditional requests (304/412), ranges (one → 206, several →
 * multipart/byteranges, none satisfiable → 416), and content coding (the stored copy when
 * there is one, else on-the-fly compression for text-like types big enough to gain).
 */
export function decideFileResponse(req: RequestFacts, file: FileFacts, stored: StoredCopy | null): FileResponse {
  const ranges = requestedRanges(req, file);
  let coding: string | null = null;
  if (ranges === null && isCompressible(file.type)) {
    coding =
      stored?.coding ??
      (file.size >= MIN_COMPRESS_BYTES ? negotiateEncoding(req.header('accept-encoding'), DYNAMIC_CODINGS) : null);
  }
  const etag = coding === null ? file.etag : codedTag(stored?.etag ?? file.etag, coding);
  const headers = fileHeaders(file.type, etag, file.lastModified);

  const precondition = evaluatePreconditions(req, { etag, mtimeMs: file.mtimeMs });
  if (precondition !== 'proceed') {
    return { status: precondition === 'not-modified' ? 304 : 412, headers, body: { kind: 'none' } };
  }
  if (ranges !== null && ranges.length === 0) {
    headers.push(['Content-Range', `bytes */${file.size}`], ['Content-Type', 'text/plain; charset=utf-8']);
    return { status: 416, headers, body: { kind: 'text', text: 'Range Not Satisfiable\n' } };
  }
  if (ranges !== null) {
    const [range] = ranges;
    if (range !== undefined && ranges.length === 1) {
      headers.push(['Content-Range', contentRange(range, file.size)], ['Content-Length', range.end - range.start + 1]);
      return { status: 206, headers, body: { kind: 'range', range } };
    }
    const layout = multipartLayout(ranges, file.size, file.type);
    headers.push(['Content-Type', layout.contentType], ['Content-Length', layout.length]);
    return { status: 206, headers, body: { kind: 'multipart', layout } };
  }
  if (coding === null) return { status: 200, headers, body: { kind: 'whole' } };
  headers.push(['Content-Encoding', coding]);
  if (stored === null) return { status: 200, headers, body: { kind: 'compressed', coding } };
  headers.push(['Content-Length', stored.size]);
  return { status: 200, headers, body: { kind: 'stored', copy: stored } };
}

/** The headers every representation of a file carries. */
function fileHeaders(type: string, etag: string, modified: string): FileResponse['headers'] {
  return [
    ['Content-Type', type],
    ['ETag', etag],
    ['Last-Modified', modified],
    ['Cache-Control', 'no-cache'],
    ['Accept-Ranges', 'bytes'],
    ['Vary', 'Accept-Encoding'],
    ['X-Content-Type-Options', 'nosniff'],
  ];
}
