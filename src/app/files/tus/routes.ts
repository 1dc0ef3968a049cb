import { HttpError, type Middleware, type Request, type Response } from '../../../index.js';
import { fsError } from '../fs-errors.js';
import { parseFileName } from '../safe-path.js';
import {
  CHECKSUM_ALGORITHMS,
  TUS_EXTENSIONS,
  TUS_VERSION,
  checkPatchType,
  checkTusResumable,
  parseCreationLength,
  parseUploadChecksum,
  parseUploadLength,
  parseUploadMetadata,
  parseUploadOffset,
} from './headers.js';
import type { UploadInfo, UploadStore } from './store.js';

/** What the tus handlers need from the file server. */
export interface TusHost {
  store: UploadStore;
  /** Largest Upload-Length accepted: the server's request body limit. */
  maxLength: number;
  /**
   * Checks an upload named `filename` into the folder at `folder` (segments) as a PUT of that
   * name would be checked (name rules, links, a directory in the way, If-None-Match: * when
   * `exclusive`); resolves the target's segments or throws HttpError.
   */
  prepare(folder: readonly string[], filename: string, exclusive: boolean): Promise<string[]>;
  /** Moves a finished upload's data file to `target`, leaving it exactly as a PUT would. */
  place(data: string, target: readonly string[], exclusive: boolean): Promise<void>;
}

/**
 * The upload URL is the folder's own URL with `?upload=<id>`: the same path the upload was
 * created on, so per-path access rules that guard the folder guard its uploads too.
 */
export function uploadId(req: Request): string | null {
  return req.query === '' ? null : new URLSearchParams(req.query).get('upload');
}

/** True for a POST that creates an upload; a POST without Tus-Resumable keeps its old meaning. */
export function isTusCreation(req: Request): boolean {
  return req.header('tus-resumable') !== undefined;
}

/**
 * Goes in front of what may refuse a request before the tus handlers see it (access rules,
 * host and origin guards): a request that speaks tus gets Tus-Resumable on those refusals too,
 * as tus asks of every answer. A GET never speaks tus, so most requests skip the header
 * lookup: 8840 -> 8650 instructions per pipelined CLI GET (bench/instructions.mjs --server cli
 * --mode pipelined, two runs each; 8695 before this middleware existed).
 */
export const tusAnswers: Middleware = (next) => (req, res) => {
  if (req.method !== 'GET' && req.header('tus-resumable') !== undefined) res.setHeader('Tus-Resumable', TUS_VERSION);
  return next(req, res);
};

/**
 * Answers a tus request on `/files/{folder}/`: POST creates there; HEAD, PATCH and DELETE act
 * on `?upload=ID`. The caller decides which requests are tus (isTusCreation, uploadId).
 */
export function resumableUpload(host: TusHost, hidden: boolean, req: Request, res: Response): Promise<void> {
  return tus(res, async () => {
    const name = parseFileName(req.params['*'] ?? '', hidden);
    if (!name.directory) throw new HttpError(404, 'Uploads are created on folder URLs (ending in /)');
    const id = uploadId(req);
    if (req.method === 'POST') return createUpload(host, req, res, name.segments, req.path);
    if (id === null) throw new HttpError(404, 'No such upload: the upload URL ends in ?upload=ID');
    if (req.method === 'HEAD') return describeUpload(host, req, res, id, name.segments);
    if (req.method === 'PATCH') return appendUpload(host, req, res, id, name.segments);
    return terminateUpload(host, req, res, id, name.segments);
  });
}

/** Runs a tus handler: Tus-Resumable on every answer, errors included. */
async function tus(res: Response, handler: () => Promise<void>): Promise<void> {
  try {
    await handler();
  } catch (error) {
    if (res.closed || res.headersSent) return;
    const failure = fsError(error);
    if (!(failure instanceof HttpError)) throw failure;
    res.status = failure.status;
    res.setHeader('Tus-Resumable', TUS_VERSION);
    if (failure.status === 412) res.setHeader('Tus-Version', TUS_VERSION);
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(`${failure.message}\n`);
  }
}

/** POST on a folder: creation, with the first bytes when the request carries a body. */
async function createUpload(host: TusHost, req: Request, res: Response, folder: readonly string[], folderUrl: string): Promise<void> {
  checkTusResumable(req.header('tus-resumable'));
  const length = parseCreationLength(req.header('upload-length'), req.header('upload-defer-length'));
  if (length !== null && length > host.maxLength) throw new HttpError(413, 'Upload-Length exceeds the size limit');
  const metadata = req.header('upload-metadata') ?? '';
  const pairs = parseUploadMetadata(metadata);
  const filename = pairs.get('filename') ?? pairs.get('name');
  if (filename === undefined || filename === null) throw new HttpError(400, 'Upload-Metadata needs a filename');
  const exclusive = req.header('if-none-match')?.trim() === '*' || pairs.get('if-none-match') === '*';
  if (req.hasBody) checkPatchType(req.header('content-type'));
  const target = await host.prepare(folder, filename, exclusive);
  const id = await host.store.create({ target, length, metadata, exclusive });
  res.status = 201;
  res.setHeader('Tus-Resumable', TUS_VERSION);
  res.setHeader('Location', `${folderUrl}?upload=${id}`);
  // creation-with-upload, or an empty file (complete as soon as it exists). Should the first
  // chunk be refused, the error answer still carries the Location of the upload just made.
  if (req.hasBody || length === 0) {
    const patched = await host.store.patch(id, patchRequest(host, req, 0, null));
    res.setHeader('Upload-Offset', patched.offset);
    res.setHeader('Upload-Expires', new Date(patched.info.expiresAt).toUTCString());
  } else {
    const created = await host.store.lookup(id);
    if (created.state === 'found') res.setHeader('Upload-Expires', new Date(created.info.expiresAt).toUTCString());
  }
  res.end();
}

/** HEAD on an upload URL: where it stands. */
async function describeUpload(host: TusHost, req: Request, res: Response, id: string, folder: readonly string[]): Promise<void> {
  checkTusResumable(req.header('tus-resumable'));
  const { info, offset } = await find(host, id, folder);
  res.setHeader('Tus-Resumable', TUS_VERSION);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Upload-Offset', offset);
  if (info.length === null) res.setHeader('Upload-Defer-Length', '1');
  else res.setHeader('Upload-Length', info.length);
  if (info.metadata !== '') res.setHeader('Upload-Metadata', info.metadata);
  res.setHeader('Upload-Expires', new Date(info.expiresAt).toUTCString());
  res.end();
}

/** PATCH on an upload URL: appends the body at Upload-Offset; the last byte puts the file in place. */
async function appendUpload(host: TusHost, req: Request, res: Response, id: string, folder: readonly string[]): Promise<void> {
  checkTusResumable(req.header('tus-resumable'));
  checkPatchType(req.header('content-type'));
  const offset = parseUploadOffset(req.header('upload-offset'));
  await find(host, id, folder);
  const patched = await host.store.patch(id, patchRequest(host, req, offset, parseUploadLength(req.header('upload-length'))));
  res.status = 204;
  res.setHeader('Tus-Resumable', TUS_VERSION);
  res.setHeader('Upload-Offset', patched.offset);
  res.setHeader('Upload-Expires', new Date(patched.info.expiresAt).toUTCString());
  res.end();
}

/** DELETE on an upload URL: termination. */
async function terminateUpload(host: TusHost, req: Request, res: Response, id: string, folder: readonly string[]): Promise<void> {
  checkTusResumable(req.header('tus-resumable'));
  await find(host, id, folder);
  await host.store.terminate(id);
  res.status = 204;
  res.setHeader('Tus-Resumable', TUS_VERSION);
  res.end();
}

/** The tus part of an OPTIONS answer on /files/: what this server speaks. */
export function advertiseTus(res: Response, maxLength: number): void {
  res.setHeader('Tus-Resumable', TUS_VERSION);
  res.setHeader('Tus-Version', TUS_VERSION);
  res.setHeader('Tus-Extension', TUS_EXTENSIONS);
  res.setHeader('Tus-Max-Size', maxLength);
  res.setHeader('Tus-Checksum-Algorithm', [...CHECKSUM_ALGORITHMS.keys()].join(','));
}

/** The upload `id`, if it exists and belongs to this folder (else 404, or 410 once expired). */
async function find(host: TusHost, id: string, folder: readonly string[]): Promise<{ info: UploadInfo; offset: number }> {
  const lookup = await host.store.lookup(id);
  if (lookup.state === 'expired') throw new HttpError(410, 'The upload has expired');
  if (lookup.state === 'missing' || !sameFolder(lookup.info.target, folder)) throw new HttpError(404, 'No such upload');
  return lookup;
}

function sameFolder(target: readonly string[], folder: readonly string[]): boolean {
  return target.length === folder.length + 1 && folder.every((segment, i) => target[i] === segment);
}

function patchRequest(host: TusHost, req: Request, offset: number, length: number | null): Parameters<UploadStore['patch']>[1] {
  return {
    offset,
    length,
    source: req.body,
    announced: req.contentLength ?? (req.hasBody ? undefined : 0),
    checksum: parseUploadChecksum(req.header('upload-checksum')),
    maxLength: host.maxLength,
    complete: (data, info) => host.place(data, info.target, info.exclusive),
  };
}
