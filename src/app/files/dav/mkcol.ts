import { mkdir } from 'node:fs/promises';
import { HttpError, type Request, type Response } from '../../../index.js';
import { keyOf, requestName, type DavSpace } from './space.js';
import { checkWrite } from './write-guard.js';

/** MKCOL (RFC 4918 §9.3): 201; 405 when something exists there; 409 without a parent; 415 for a body. */
export async function mkcol(space: DavSpace, req: Request, res: Response): Promise<void> {
  const name = requestName(space, req);
  if (req.hasBody) throw new HttpError(415, 'MKCOL takes no body');
  const { real, exists } = await space.files.locate(name.segments);
  if (exists) {
    res.setHeader('Allow', 'GET, HEAD, PUT, DELETE, OPTIONS, PROPFIND, PROPPATCH, COPY, MOVE, LOCK, UNLOCK');
    throw new HttpError(405, 'Something exists there already');
  }
  space.files.assertCreatable(name);
  const parent = await space.files.locate(name.segments.slice(0, -1));
  if (!parent.exists) throw new HttpError(409, 'The parent collection does not exist');
  await checkWrite(space, req, keyOf(name.segments), [{ resource: keyOf(name.segments), tree: false, membership: true }]);
  await mkdir(real).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new HttpError(405, 'Something exists there already');
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new HttpError(409, 'The parent collection does not exist');
    throw error;
  });
  res.status = 201;
  res.setHeader('Location', space.href(name.segments, true));
  res.end();
}
