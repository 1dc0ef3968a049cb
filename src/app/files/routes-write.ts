import type { Request, Response } from '../../index.js';
import { checkUpload, setDavHeaders } from './dav/index.js';
import type { FileServer } from './file-server.js';
import { deleteFile, storeFile } from './file-write.js';
import { requestName } from './mount.js';
import { get } from './routes-read.js';
import { locate, parseFileName } from './safe-path.js';
import { advertiseTus, isTusCreation, resumableUpload, uploadId } from './tus/routes.js';

/**
 * The file server's handlers that choose between plain files and resumable uploads (tus), and
 * the writing ones: PUT, POST, PATCH, DELETE, and OPTIONS, which says what is answered.
 */

/** PUT and POST: stored unless a WebDAV lock is in the way (see checkUpload). */
export async function store({ root, dav }: FileServer, req: Request, res: Response): Promise<void> {
  const name = parseFileName(requestName(req), root.hidden);
  if (dav !== null) await checkUpload(dav, req, name.segments, async () => (await locate(root.realRoot, name.segments, root.hidden)).exists);
  await storeFile(root, req, res, name);
}

function remove({ root }: FileServer, req: Request, res: Response): Promise<void> {
  return deleteFile(root, req, res, parseFileName(requestName(req), root.hidden));
}

/** Resumable uploads (tus): created on a folder URL, then used at `folder/?upload=ID`. */
export function resumable({ root, uploads }: FileServer, req: Request, res: Response): Promise<void> {
  return resumableUpload(uploads, root.hidden, req, res);
}

/** GET and HEAD; HEAD on an upload URL asks where a resumable upload stands. */
export function getOrAsk(server: FileServer, req: Request, res: Response): void | Promise<void> {
  return req.method === 'HEAD' && uploadId(req) !== null ? resumable(server, req, res) : get(server, req, res);
}

/** POST with Tus-Resumable creates a resumable upload; without, it stores the body as it always has. */
export function storeOrCreate(server: FileServer, req: Request, res: Response): Promise<void> {
  return isTusCreation(req) ? resumable(server, req, res) : store(server, req, res);
}

/** DELETE on an upload URL abandons the upload; elsewhere it removes a file or folder. */
export function removeOrTerminate(server: FileServer, req: Request, res: Response): Promise<void> {
  return uploadId(req) !== null ? resumable(server, req, res) : remove(server, req, res);
}

export function options(server: FileServer, _req: Request, res: Response): void {
  res.status = 204;
  res.setHeader('Allow', server.allow);
  advertiseTus(res, server.uploads.maxLength);
  if (server.dav !== null) setDavHeaders(res);
  res.end();
}
