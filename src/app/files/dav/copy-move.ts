import { cp, rename, rm, stat } from 'node:fs/promises';
import { HttpError, type Request, type Response } from '../../../index.js';
import { parseDepth, parseDestination, parseOverwrite } from './headers.js';
import type { WriteTarget } from './lock-store.js';
import { isWithin } from './prop-store.js';
import { entryPath, keyOf, requestName, type DavSpace } from './space.js';
import { copyFileAtomic, copyTree, removeTree, sendFailures } from './tree.js';
import { checkWrite } from './write-guard.js';

/**
 * COPY and MOVE (RFC 4918 §9.8, §9.9). Both ends are checked like any request name (hidden
 * and temporary names refused, symlinks contained), so neither can read or write outside the
 * served directory. A folder's COPY goes member by member and reports the members it could
 * not copy in a 207 multi-status (see tree.ts). Dead properties travel with the resource; locks stay where they were (a
 * moved resource leaves its locks behind, as RFC 4918 §7.5 says). A MOVE is a rename(2):
 * atomic on one filesystem; across filesystems (a linked folder on another disk) it falls
 * back to copy-then-delete.
 */
export async function copyOrMove(space: DavSpace, req: Request, res: Response): Promise<void> {
  const move = req.method === 'MOVE';
  const from = requestName(space, req);
  const to = space.files.parseName(parseDestination(req.header('destination'), req.header('host'), space.files.prefix));
  const overwrite = parseOverwrite(req.header('overwrite'));
  const source = await space.files.locate(from.segments);
  if (!source.exists) throw new HttpError(404, 'Not Found');
  const sourceStats = await stat(source.real);
  const collection = sourceStats.isDirectory();
  const depth = collection ? parseDepth(req.header('depth'), 'infinity', move ? ['infinity'] : ['0', 'infinity']) : 'infinity';
  const fromKey = keyOf(from.segments);
  const toKey = keyOf(to.segments);
  if (from.segments.length === 0 || to.segments.length === 0) throw new HttpError(403, 'The served directory itself cannot be copied or moved');
  if (isWithin(toKey, fromKey) || (move && isWithin(fromKey, toKey))) throw new HttpError(403, 'Source and destination overlap');

  space.files.assertCreatable(to);
  const target = await space.files.locate(to.segments);
  const parent = await space.files.locate(to.segments.slice(0, -1));
  if (!parent.exists || !(await stat(parent.real)).isDirectory()) throw new HttpError(409, 'The destination collection does not exist');
  const targets: WriteTarget[] = [{ resource: toKey, tree: true, membership: true }];
  if (move) targets.unshift({ resource: fromKey, tree: true, membership: true });
  await checkWrite(space, req, fromKey, targets);
  if (!space.files.preconditionsHold(req, sourceStats)) throw new HttpError(412, 'Precondition Failed');
  if (target.exists && !overwrite) throw new HttpError(412, 'The destination exists and Overwrite is F');

  const destination = await entryPath(space, to.segments);
  if (target.exists) {
    const failures = await removeTree(destination, to.segments);
    if (failures.length > 0) {
      sendFailures(space, res, failures, to.segments);
      return;
    }
    await space.props.remove(toKey);
  }
  if (move) {
    await moveEntry(await entryPath(space, from.segments), destination);
    await space.props.transfer(fromKey, toKey, { move: true, tree: true });
    await space.locks.removeWithin(fromKey);
  } else {
    const failures = collection
      ? await copyTree(space, source.real, destination, to.segments, depth === 'infinity')
      : await copyFileAtomic(space, source.real, destination).then(() => []);
    await space.props.transfer(fromKey, toKey, { move: false, tree: depth === 'infinity' });
    if (failures.length > 0) {
      sendFailures(space, res, failures, to.segments);
      return;
    }
  }
  res.status = target.exists ? 204 : 201;
  if (!target.exists) res.setHeader('Location', space.href(to.segments, collection));
  res.end();
}

async function moveEntry(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    await rm(from, { recursive: true });
  }
}
