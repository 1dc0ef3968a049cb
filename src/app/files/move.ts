import { lstat, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import { HttpError, type BasicAuth, type Request, type Response } from '../../index.js';
import { fsError } from './fs-errors.js';
import { assertCreatable, assertInside, isInside, locate, parseFileName, type FileName } from './safe-path.js';

/**
 * The listing page's rename and move: a POST to the file or folder URL whose body, of this
 * media type, is `{"to": "/files/new/name"}`. Its own media type keeps it apart from uploads:
 * a POST of any other body still stores that body byte for byte. (WebDAV's MOVE replaces it
 * once the server speaks WebDAV.)
 */
export const MOVE_TYPE = 'application/x-wirehttp-move+json';

export function isMoveRequest(req: Request): boolean {
  return req.method === 'POST' && (req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() === MOVE_TYPE;
}

/** Renames `name` to the body's `to` (any folder below the root, created when missing); 412 when `to` exists. */
export async function moveFile(root: { realRoot: string; hidden: boolean; maxPathDepth: number; access: BasicAuth | null }, req: Request, res: Response, name: FileName): Promise<void> {
  if (name.segments.length === 0) throw new HttpError(403, 'The served directory itself cannot be moved');
  const to = destination(await req.text(4096), root.hidden);
  // The URL was checked for write access in front of the app; a move also takes everything
  // below the name along, and writes (or creates a tree at) a name only the body gives.
  if (root.access !== null) {
    const user = root.access.user(req);
    for (const segments of [name.segments, to.segments]) {
      const verdict = root.access.check(user, segments.join('/'), 'write-tree');
      if (verdict !== 'allow') {
        root.access.refuse(res, verdict);
        return;
      }
    }
  }
  assertCreatable(root.realRoot, to, root.maxPathDepth);
  const source = await locate(root.realRoot, name.segments, root.hidden);
  if (!source.exists) throw new HttpError(404, 'Not Found');
  // Move the name that was asked for: a link inside the root moves, its target stays.
  const parent = await locate(root.realRoot, name.segments.slice(0, -1), root.hidden);
  const from = path.join(parent.real, name.segments.at(-1) ?? '');
  const target = await locate(root.realRoot, to.segments, root.hidden);
  if (target.exists) throw new HttpError(412, 'Something with that name exists already');
  const isFolder = (await lstat(from)).isDirectory();
  if (isFolder && isInside(from, target.real)) throw new HttpError(409, 'A folder cannot move into itself');
  try {
    await mkdir(path.dirname(target.real), { recursive: true });
    await assertInside(root.realRoot, path.dirname(target.real));
    await rename(from, target.real);
  } catch (error) {
    throw fsError(error);
  }
  res.status = 201;
  res.setHeader('Location', `/files/${to.segments.map(encodeURIComponent).join('/')}${isFolder ? '/' : ''}`);
  res.end();
}

function destination(body: string, hidden: boolean): FileName {
  let to: unknown;
  try {
    to = (JSON.parse(body) as { to?: unknown }).to;
  } catch {
    throw new HttpError(400, 'The body must be JSON: {"to": "/files/new/name"}');
  }
  if (typeof to !== 'string' || !to.startsWith('/files/')) throw new HttpError(400, '"to" must be a path starting with /files/');
  let decoded: string;
  try {
    decoded = decodeURIComponent(to.slice('/files/'.length));
  } catch {
    throw new HttpError(400, '"to" is not a valid path');
  }
  const name = parseFileName(decoded.replace(/\/$/, ''), hidden);
  if (name.segments.length === 0) throw new HttpError(400, '"to" names no file');
  return name;
}
