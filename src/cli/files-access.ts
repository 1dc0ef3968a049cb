// Applies the access rules to /files/: rule paths are paths inside the served directory.
import { pathSegments } from '../api/access-rules.js';
import type { BasicAuth, Middleware } from '../index.js';

const PREFIX = '/files/';

/**
 * Reads need read access, folder URLs (ending in "/") only need to lead somewhere readable,
 * and every other method needs write access. Checked before the file server looks at the disk,
 * so a refused path answers the same whether it exists or not.
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
    const method = req.method;
    // PROPFIND reads a whole tree (Depth): it needs read access, which then covers everything below.
    const need =
      method === 'PROPFIND' ? 'read' : method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' ? 'write' : name === '' || name.endsWith('/') ? 'list' : 'read';
    const verdict = auth.check(auth.user(req), name, need);
    return verdict === 'allow' ? next(req, res) : auth.refuse(res, verdict);
  };
}
