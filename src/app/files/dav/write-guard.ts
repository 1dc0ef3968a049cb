import { stat } from 'node:fs/promises';
import { HttpError, type Request } from '../../../index.js';
import { parseDestination } from './headers.js';
import { evaluateIf, parseIf, resourcesOf, submittedTokens, type ResourceState } from './if-header.js';
import { blockingLock, covers, type Lock, type WriteTarget } from './lock-store.js';
import { keyOf, type DavSpace } from './space.js';
import { element, errorBody } from './xml-write.js';

/** A write refused because of a lock: 423 with the lock-token-submitted precondition. */
export class LockedError extends HttpError {
  constructor(readonly body: string) {
    super(423, 'Locked');
  }
}

/**
 * Every write through WebDAV or the file server comes here first: the If header must hold
 * (else 412), and every lock on what the write touches must have its token submitted (else
 * 423). `resource` is the request's own resource, which untagged If lists refer to; LOCK
 * passes no targets (its conflicts are judged by the lock store). Returns the submitted tokens.
 *
 * The check reads the locks, then the caller writes: a LOCK granted by another process in
 * between (a window of one filesystem call) does not stop this write. Closing it would mean
 * holding the lock store's lock file for the whole write, an upload of any size included,
 * which would serialise every write of every process; a lock taken that late was not yet
 * held when the write began, so the write is ordered before it.
 */
export async function checkWrite(space: DavSpace, req: Request, resource: string, targets: readonly WriteTarget[]): Promise<Set<string>> {
  const header = req.header('if');
  const locks = await space.locks.all();
  let submitted = new Set<string>();
  if (header !== undefined) {
    const lists = parseIf(header);
    const states = new Map<string | null, ResourceState | undefined>();
    for (const tag of resourcesOf(lists)) {
      const segments = tag === null ? resource.split('/').filter(Boolean) : segmentsOf(space, tag);
      states.set(tag, segments === null ? undefined : await stateOf(space, locks, segments));
    }
    if (!evaluateIf(lists, (tag) => states.get(tag))) throw new HttpError(412, 'Precondition Failed');
    submitted = submittedTokens(lists);
  }
  const blocking = blockingLock(locks, targets, submitted);
  if (blocking !== null) {
    const root = space.href(blocking.root === '' ? [] : blocking.root.split('/'), false);
    throw new LockedError(errorBody('lock-token-submitted', element('DAV:', 'href', root)));
  }
  return submitted;
}

/**
 * The segments of a tagged list's URI (absolute, or a path); null when it names nothing this
 * server serves. Only the path counts: behind a proxy the client's host may not be the Host
 * the server sees, and a tag only says which resource a list is about.
 */
function segmentsOf(space: DavSpace, uri: string): string[] | null {
  try {
    const path = uri.startsWith('/') ? uri : new URL(uri).pathname;
    return space.files.parseName(parseDestination(path, undefined, space.files.prefix)).segments;
  } catch {
    return null;
  }
}

/** The state If conditions are checked against: the entity tag and the tokens of covering locks. */
async function stateOf(space: DavSpace, locks: readonly Lock[], segments: readonly string[]): Promise<ResourceState> {
  const key = keyOf(segments);
  const tokens = new Set(locks.filter((lock) => covers(lock, key)).map((lock) => lock.token));
  try {
    const { real, exists } = await space.files.locate(segments);
    const etag = exists ? space.files.entityTag(await stat(real)) : null;
    return { etag, tokens };
  } catch {
    return { etag: null, tokens };
  }
}
