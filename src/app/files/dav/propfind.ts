import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
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
  // The URL was checked in front of the app for `list`, enough for a folder that only leads to
  // readable paths; a file's properties need read access, and members show only when openable.
  if (!space.files.mayOpen(req, name.segments, collection)) throw new HttpError(403, 'Forbidden');

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
    for (const child of await children(space, name.segments, real)) if (space.files.mayOpen(req, child.segments, child.collection)) describe(child);
  }
  sendXml(res, 207, body.toString());
}

/**
 * The visible members of a collection (hidden names, temporary files and escaping links left
 * out). An entry that is not a link lies inside the already contained folder, so only links
 * need the full containment check; the stats are taken a batch at a time so the disk works on
 * several at once. Measured on a folder of 5 000 files (2 cores, loaded machine): 1.8–3.5 s
 * with a locate() and stat() per entry one after another, 0.3–0.9 s like this (the rest is
 * mostly writing the 3.6 MB of XML).
 */
async function children(space: DavSpace, segments: readonly string[], real: string): Promise<Omit<Resource, 'locks'>[]> {
  const entries = (await readdir(real, { withFileTypes: true })).filter((entry) => space.files.visible(entry.name));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const found: (Omit<Resource, 'locks'> | null)[] = [];
  for (let at = 0; at < entries.length; at += STAT_BATCH) {
    found.push(...(await Promise.all(entries.slice(at, at + STAT_BATCH).map((entry) => member(space, [...segments, entry.name], real, entry)))));
  }
  return found.filter((child) => child !== null);
}

const STAT_BATCH = 64;

async function member(space: DavSpace, segments: string[], parentReal: string, entry: Dirent): Promise<Omit<Resource, 'locks'> | null> {
  try {
    let real = path.join(parentReal, entry.name);
    if (entry.isSymbolicLink()) {
      const location = await space.files.locate(segments);
      if (!location.exists) return null;
      real = location.real;
    }
    const stats = await stat(real);
    return stats.isDirectory() || stats.isFile() ? { segments, stats, collection: stats.isDirectory() } : null;
  } catch {
    return null; // vanished meanwhile, or a link that leads outside: not listed
  }
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
