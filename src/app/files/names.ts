import { randomBytes } from 'node:crypto';

/**
 * The names the file server keeps for itself inside the served directory. They are never
 * listed, served or writable through HTTP, whatever `--hidden` says: the hidden metadata area
 * (server state that outlives a request) and the temporary files of uploads in progress.
 */

/** The hidden metadata area: `<served dir>/.wirehttp/`. */
export const METADATA_DIR = '.wirehttp';

const TEMP_PREFIX = '.wirehttp-upload-';
const TEMP_SUFFIX = '.tmp';

/** A fresh, unguessable name for an upload's temporary file, written beside its target. */
export function tempUploadName(): string {
  return `${TEMP_PREFIX}${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`;
}

/** True for the names of temporary upload files. */
export function isTempUploadName(name: string): boolean {
  return name.startsWith(TEMP_PREFIX) && name.endsWith(TEMP_SUFFIX);
}

/** True for a path segment the server keeps for itself (see above). */
export function isReservedName(segment: string): boolean {
  return segment === METADATA_DIR || isTempUploadName(segment);
}

/** True for a path segment that may be listed and served: not reserved, and not a dot-file unless `hidden`. */
export function isShownName(segment: string, hidden: boolean): boolean {
  return !isReservedName(segment) && (hidden || !segment.startsWith('.'));
}
