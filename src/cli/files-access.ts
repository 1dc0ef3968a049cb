// Applies the access rules to /files/: rule paths are paths inside the served directory.
import { pathSegments } from '../api/access-rules.js';
import { accessNeed, parseDestination } from '../app/index.js';
import type { BasicAuth, Middleware, Request } from '../index.js';

const PREFIX = '/files/';

/**
 * Each name needs what the file server's `accessNeed` says for its method; COPY and MOVE also
 * need write access to the whole tree at their Destination, which they create or replace.
 * Checked before the file server looks at the disk, so a refused path answers the same whether
 * it exists or not.
 */
export function filesAccess(auth: BasicAuth): Middleware {
  return (next) => (req, res) => {
    const path = req.path;
    if (!path.startsWith(PREFIX)) return next(req, res);
    let name: string;
    try {
      name = decodeURIComponent(path.slice(PREFIX.length));
    } catch {
      return next(req, res); // the router answers malformed escapes with 400
    }
    // ".." and the like: the file server refuses these names with 400 before touching the disk.
    if (pathSegments(name) === null) return next(req, res);
    const user = auth.user(req);
    let verdict = auth.check(user, name, accessNeed(req.method, name));
    if (verdict === 'allow' && (req.method === 'COPY' || req.method === 'MOVE')) {
      const to = destinationName(req);
      // A Destination the file server cannot use gets its own answer there (400, 403 or 502).
      if (to !== null) verdict = auth.check(user, to, 'write-tree');
    }
    return verdict === 'allow' ? next(req, res) : auth.refuse(res, verdict);
  };
}

/** The name a COPY or MOVE writes to, as the file server reads it; null when it cannot be used. */
function destinationName(req: Request): string | null {
  try {
    const to = parseDestination(req.header('destination'), req.header('host'), PREFIX);
    return pathSegments(to) === null ? null : to;
  } catch {
    return null;
  }
}
