import type { Stats } from 'node:fs';
import type { Lock } from './lock-store.js';
import type { DavSpace } from './space.js';
import type { PropName } from './xml-requests.js';
import { DAV, element, escapeText } from './xml-write.js';

/** A resource as PROPFIND describes it. */
export interface Resource {
  readonly segments: readonly string[];
  readonly stats: Stats;
  readonly collection: boolean;
  /** The locks covering it (for lockdiscovery). */
  readonly locks: readonly Lock[];
}

/** The live properties (RFC 4918 §15), in the order allprop lists them. */
export const LIVE_NAMES = [
  'resourcetype',
  'getcontentlength',
  'getlastmodified',
  'getetag',
  'getcontenttype',
  'creationdate',
  'displayname',
  'supportedlock',
  'lockdiscovery',
] as const;

type LiveName = (typeof LIVE_NAMES)[number];

export function isLive(name: PropName): boolean {
  return name.ns === DAV && (LIVE_NAMES as readonly string[]).includes(name.name);
}

/** A live property's element, or null when the resource does not have it (collections have no length or type). */
export function liveProp(space: DavSpace, resource: Resource, name: LiveName, now: number): string | null {
  const { stats, collection } = resource;
  switch (name) {
    case 'resourcetype':
      return element(DAV, name, collection ? '<D:collection/>' : '');
    case 'getcontentlength':
      return collection ? null : element(DAV, name, String(stats.size));
    case 'getlastmodified':
      return element(DAV, name, stats.mtime.toUTCString());
    case 'getetag':
      return collection ? null : element(DAV, name, escapeText(space.files.entityTag(stats)));
    case 'getcontenttype':
      return collection ? null : element(DAV, name, escapeText(space.files.contentType(resource.segments.at(-1) ?? '')));
    case 'creationdate':
      return element(DAV, name, (stats.birthtimeMs > 0 ? stats.birthtime : stats.ctime).toISOString());
    case 'displayname':
      return element(DAV, name, escapeText(resource.segments.at(-1) ?? ''));
    case 'supportedlock':
      return element(DAV, name, SUPPORTED_LOCK);
    case 'lockdiscovery':
      return element(DAV, name, resource.locks.map((lock) => activeLock(space, lock, now)).join(''));
  }
}

const SUPPORTED_LOCK = ['exclusive', 'shared']
  .map((scope) => `<D:lockentry><D:lockscope><D:${scope}/></D:lockscope><D:locktype><D:write/></D:locktype></D:lockentry>`)
  .join('');

/** One DAV:activelock (RFC 4918 §14.1), the timeout counting down from now. */
export function activeLock(space: DavSpace, lock: Lock, now: number): string {
  const seconds = Math.max(0, Math.ceil((lock.expires - now) / 1000));
  const root = space.href(lock.root === '' ? [] : lock.root.split('/'), false);
  return (
    '<D:activelock>' +
    '<D:locktype><D:write/></D:locktype>' +
    `<D:lockscope><D:${lock.scope}/></D:lockscope>` +
    `<D:depth>${lock.depth}</D:depth>` +
    (lock.owner === '' ? '' : `<D:owner>${lock.owner}</D:owner>`) +
    `<D:timeout>Second-${String(seconds)}</D:timeout>` +
    `<D:locktoken><D:href>${escapeText(lock.token)}</D:href></D:locktoken>` +
    `<D:lockroot><D:href>${escapeText(root)}</D:href></D:lockroot>` +
    '</D:activelock>'
  );
}
