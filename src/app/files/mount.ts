import { HttpError, type Request } from '../../index.js';

/**
 * Where the file server is mounted, read from each request: on a router route ending in "*"
 * (`/files/*`, `/static/*`) the name is the rest of the path and the mount is what precedes
 * it; mounted without a router, the whole path is the name.
 */

/** The decoded name asked for below the served directory ("a/b.txt", "" for the directory itself). */
export function requestName(req: Request): string {
  const tail = req.params['*'];
  if (tail !== undefined) return tail;
  try {
    return decodeURIComponent(req.path.slice(1));
  } catch {
    throw new HttpError(400, 'Malformed percent-encoding in path');
  }
}

/** The mount's URL path, still percent-encoded, ending in "/" ("/files/"): links and Location start with it. */
export function mountPath(req: Request): string {
  const tail = req.params['*'];
  const path = req.path;
  if (tail === undefined) return '/';
  if (tail === '') return path.endsWith('/') ? path : `${path}/`;
  // The raw path ends with as many segments as the decoded name has ("%2F" never gets this
  // far: such a name is refused as invalid before the mount path is used).
  let at = path.length;
  for (let i = tail.split('/').length; i > 0 && at > 0; i--) at = path.lastIndexOf('/', at - 1);
  return path.slice(0, at + 1);
}

/** The URL path of the name `segments` below the mount, each segment percent-encoded ("/files/a%20b/c.txt"). */
export function nameUrl(req: Request, segments: readonly string[], directory: boolean): string {
  return `${mountPath(req)}${segments.map(encodeURIComponent).join('/')}${directory && segments.length > 0 ? '/' : ''}`;
}
