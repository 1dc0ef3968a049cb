// What the access rules ask of a request to the file server, the CLI's /files/ and serveFiles alike.
import type { BasicAuth, Handler, Need } from '../../index.js';
import type { ReadCheck } from './file-server.js';
import { requestName } from './mount.js';
import { parseFileName } from './safe-path.js';

/**
 * The access `method` needs at `name` (relative to the served directory). Reads need read
 * access, folder URLs (ending in "/") only need to lead somewhere readable, and every other
 * method needs write access. Removing a name takes everything below it along (DELETE and
 * MOVE of a folder), so those need write access to the whole tree: a deeper read-only rule
 * stops them.
 */
export function accessNeed(method: string, name: string): Need {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
      return name === '' || name.endsWith('/') ? 'list' : 'read';
    // PROPFIND lists a folder (Depth 1), showing only the members that may be opened.
    case 'PROPFIND':
      return 'list';
    // COPY reads a whole tree (Depth): read access there covers everything below.
    case 'COPY':
      return 'read';
    case 'DELETE':
    case 'MOVE':
      return 'write-tree';
    default:
      return 'write';
  }
}

/**
 * serveFiles' rules: `access` logs the requester in, then the name asked for (below the
 * mount) is checked before the disk is, so a refused name answers the same whether it exists
 * or not. A name the file server would refuse anyway (`..`, control characters) gets that
 * answer (400) instead.
 */
export function guardNames(access: BasicAuth, hidden: boolean): (next: Handler) => Handler {
  return (next) =>
    access((req, res) => {
      const name = requestName(req);
      parseFileName(name, hidden);
      const verdict = access.check(access.user(req), name, accessNeed(req.method, name));
      return verdict === 'allow' ? next(req, res) : access.refuse(res, verdict);
    });
}

/** Archives hold what the access rules let the requester open: files to read, folders to list. */
export function readableUnder(access: BasicAuth): ReadCheck {
  return (req, path, kind) => access.check(access.user(req), path, kind === 'file' ? 'read' : 'list') === 'allow';
}
