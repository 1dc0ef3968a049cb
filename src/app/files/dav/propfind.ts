import { readdir, stat } from 'node:fs/promises';
import { HttpError, type Request, type Response } from '../../../index.js';
import { parseDepth } from './headers.js';
import { isLive, LIVE_NAMES, liveProp, type Resource } from './live-props.js';
import { covers, type Lock } from './lock-store.js';
import type { DeadProp } from './prop-store.js';
import { keyOf, requestName, sendXml, type DavSpace } from './space.js';
import { parseXmlBody } from './xml-parse.js';
import { parsePropfind, type PropfindRequest } from './xml-requests.js';
import { DAV, element, errorBody, Multistatus, type PropStat } from './xml-write.js';

/**
 * PROPFIND (RFC 4918 §9.1) with Depth 0 or 1. Depth infinity (also what a missing Depth
 * means) is refused with 403 and the propfind-finite-depth precondition: a walk of the whole
 * tree is unbounded work for one request, and clients fall back to Depth 1.
 */
export async function propfind(space: DavSpace, req: Request, res: Response): Promise<void> {
  const name = requestName(space, req);
  const depth = parseDepth(req.header('depth'), 'infinity', ['0', '1', 'infinity']);
  const wanted = parsePropfind(await parseXmlBody(req));
  if (depth === 'infinity') {
    sendXml(res, 403, errorBody('propfind-finite-depth'));
    return;
  }
  const { real, exists } = await space.files.locate(name.segments);
  if (!exists) throw new HttpError(404, 'Not Found');
  const stats = await stat(real);
  const collection = stats.isDirectory();
  if (!collection && !stats.isFile()) throw new HttpError(404, 'Not Found');
  if (!collection && name.directory) throw new HttpError(404, 'Not Found');

  const [locks, deadOf] = await Promise.all([space.locks.all(), space.props.snapshot()]);
  const now = Date.now();
  const body = new Multistatus();
  const describe = (resource: Omit<Resource, 'locks'>): void => {
    const key = keyOf(resource.segments);
    const full: Resource = { ...resource, locks: locks.filter((lock: Lock) => covers(lock, key)) };
    body.propstats(space.href(resource.segments, resource.collection), propstats(space, full, deadOf(key), wanted, now));
  };
  describe({ segments: name.segments, stats, collection });
  if (collection && depth === '1') {
    for (const child of await children(space, name.segments, real)) describe(child);
  }
  sendXml(res, 207, body.toString());
}

/** The visible members of a collection (hidden names, temporary files and escaping links left out). */
async function children(space: DavSpace, segments: readonly string[], real: string): Promise<Omit<Resource, 'locks'>[]> {
  const names = (await readdir(real)).filter((entry) => space.files.visible(entry)).sort();
  const found: Omit<Resource, 'locks'>[] = [];
  for (const entry of names) {
    const childSegments = [...segments, entry];
    try {
      const location = await space.files.locate(childSegments);
      if (!location.exists) continue;
      const stats = await stat(location.real);
      if (stats.isDirectory() || stats.isFile()) found.push({ segments: childSegments, stats, collection: stats.isDirectory() });
    } catch {
      // vanished meanwhile, or a link that leads outside: not listed
    }
  }
  return found;
}

/** The properties of one resource, grouped by status, as `wanted` asks. */
function propstats(space: DavSpace, resource: Resource, dead: readonly DeadProp[], wanted: PropfindRequest, now: number): PropStat[] {
  const found: string[] = [];
  const missing: string[] = [];
  if (wanted.kind === 'propname') {
    for (const live of LIVE_NAMES) if (liveProp(space, resource, live, now) !== null) found.push(element(DAV, live));
    for (const prop of dead) found.push(element(prop.ns, prop.name));
    return [{ status: 200, props: found }];
  }
  const names = wanted.kind === 'prop' ? wanted.names : [...LIVE_NAMES.map((live) => ({ ns: DAV, name: live })), ...dead, ...wanted.include];
  const seen = new Set<string>();
  for (const name of names) {
    const id = `${name.ns}\n${name.name}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const value = isLive(name)
      ? liveProp(space, resource, name.name as (typeof LIVE_NAMES)[number], now)
      : (dead.find((prop) => prop.ns === name.ns && prop.name === name.name)?.xml ?? null);
    if (value !== null) found.push(value);
    else if (wanted.kind === 'prop') missing.push(element(name.ns, name.name));
  }
  return [
    { status: 200, props: found },
    { status: 404, props: missing },
  ];
}
