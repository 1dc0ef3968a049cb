import { stat } from 'node:fs/promises';
import { HttpError, type Request, type Response } from '../../../index.js';
import { entryPath, keyOf, requestName, type DavSpace } from './space.js';
import { removeTree, sendFailures } from './tree.js';
import { checkWrite } from './write-guard.js';

/**
 * DELETE (RFC 4918 §9.6): a file, or a collection with everything in it; its dead properties
 * and the locks on it go too; members that cannot be removed are listed in a 207 multi-status
 * and the rest still goes. A link is removed, never its target. Hidden entries inside a
 * deleted collection go with it, since the collection as a whole is what was asked for.
 */
export async function remove(space: DavSpace, req: Request, res: Response): Promise<void> {
  const name = requestName(space, req);
  if (name.segments.length === 0) throw new HttpError(403, 'The served directory itself cannot be deleted');
  const { real, exists } = await space.files.locate(name.segments);
  if (!exists) throw new HttpError(404, 'Not Found');
  const key = keyOf(name.segments);
  await checkWrite(space, req, key, [{ resource: key, tree: true, membership: true }]);
  if (!space.files.preconditionsHold(req, await stat(real))) throw new HttpError(412, 'Precondition Failed');
  const failures = await removeTree(await entryPath(space, name.segments), name.segments);
  if (failures.length > 0) {
    // Nothing is forgotten while the folder stays (properties of members that did go remain
    // in the store until the folder goes).
    sendFailures(space, res, failures, name.segments);
    return;
  }
  await space.props.remove(key);
  await space.locks.removeWithin(key);
  res.status = 204;
  res.end();
}
