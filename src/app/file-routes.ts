import { mkdir, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import { HttpError, type Request, type Response, type Router } from '../index.js';
import { writeFileAtomic } from './atomic-write.js';
import { insideRoot, resolveInside } from './safe-path.js';

/** GET and POST on `/files/{name}`, served from and stored into `root`. */
export async function addFileRoutes(router: Router, root: string): Promise<void> {
  const realRoot = await realpath(root);
  router.get('/files/*', (req, res) => serveFile(realRoot, req, res));
  router.post('/files/*', (req, res) => storeFile(realRoot, req, res));
}

async function serveFile(root: string, req: Request, res: Response): Promise<void> {
  const file = resolveInside(root, req.params['*']!);
  if (!(await insideRoot(root, file))) throw new HttpError(404, 'Not Found');
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw fsError(error);
  }
  const stats = await handle.stat();
  if (!stats.isFile()) {
    await handle.close();
    throw new HttpError(404, 'Not Found');
  }
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', stats.size);
  if (stats.size === 0 || req.method === 'HEAD') {
    await handle.close();
    res.end();
    return;
  }
  const stream = handle.createReadStream({ start: 0, end: stats.size - 1, highWaterMark: 256 * 1024 });
  await res.send(stream);
}

async function storeFile(root: string, req: Request, res: Response): Promise<void> {
  const file = resolveInside(root, req.params['*']!);
  if (!(await insideRoot(root, path.dirname(file)))) throw new HttpError(404, 'Not Found');
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFileAtomic(file, req.body);
  } catch (error) {
    if (res.closed) return; // the client went away mid-upload; nothing was stored
    throw fsError(error);
  }
  res.status = 201;
  res.setHeader('Location', `/files/${req.params['*']!.split('/').map(encodeURIComponent).join('/')}`);
  res.end();
}

/** Maps filesystem errors to statuses without revealing any server path. */
function fsError(error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return new HttpError(404, 'Not Found');
  if (code === 'EACCES' || code === 'EPERM') return new HttpError(403, 'Forbidden');
  if (code === 'ENOSPC') return new HttpError(507, 'Insufficient Storage');
  return error instanceof Error ? error : new Error(String(error));
}
