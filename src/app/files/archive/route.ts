import { HttpError, type Request, type Response } from '../../../index.js';
import { ARCHIVE_TYPES, archiveStream, type ArchiveFormat } from './archive.js';
import type { FileRoot } from '../file-write.js';
import { isShownName } from '../names.js';
import { isInside, isVisible } from '../safe-path.js';
import { walkTree } from './walk.js';

/** What a folder download needs from the file server: where, and what may go in. */
export interface ArchiveSource {
  /** Real path of the folder, and its segments below the served directory. */
  folder: string;
  segments: readonly string[];
  /** The file server's name rule for one segment (dot-files, reserved names). */
  shows(segment: string): boolean;
  /** Whether a symlink's real target may be followed (inside the served directory, shown). */
  follows(real: string): boolean;
  /**
   * Access-rule hook: whether the requester may read the entry at these segments (below the
   * served directory). Only what passes goes into the archive; a folder that fails is not entered.
   */
  mayRead(segments: readonly string[], kind: 'file' | 'folder'): boolean;
}

/**
 * The archive source for a folder of the served directory, with the file server's rules: its
 * own names never, dot-files only with `hidden`, links only to shown targets inside the root.
 * `mayRead` is the access-rule hook (allow everything when no rules apply).
 */
export function folderSource(
  root: FileRoot,
  folder: string,
  segments: readonly string[],
  mayRead: (segments: readonly string[], kind: 'file' | 'folder') => boolean,
): ArchiveSource {
  return {
    folder,
    segments,
    shows: (segment) => isShownName(segment, root.hidden),
    follows: (real) => isInside(root.realRoot, real) && isVisible(root.realRoot, real, root.hidden),
    mayRead,
  };
}

/** The format `?download=zip|tar` asks for; null without a download parameter; 400 for others. */
export function requestedArchive(query: string): ArchiveFormat | null {
  if (query === '') return null;
  const value = new URLSearchParams(query).get('download');
  if (value === null) return null;
  if (value === 'zip' || value === 'tar') return value;
  throw new HttpError(400, 'download must be zip or tar');
}

/**
 * Answers GET (or HEAD) of a folder with its archive, streamed (chunked; the size is not known
 * in advance). A failure once bytes are out (a file vanished or changed size) is logged and
 * cuts the connection, so the client sees a broken transfer, never a complete-looking archive.
 */
export async function sendArchive(req: Request, res: Response, format: ArchiveFormat, source: ArchiveSource): Promise<void> {
  res.setHeader('Content-Type', ARCHIVE_TYPES[format]);
  res.setHeader('Content-Disposition', attachment(`${source.segments.at(-1) ?? 'files'}.${format}`));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method === 'HEAD') {
    res.write(''); // the same head as GET: chunked, no Content-Length
    res.end();
    return;
  }
  const entries = walkTree({
    start: source.folder,
    include: (below, kind) => below.every((segment) => source.shows(segment)) && source.mayRead([...source.segments, ...below], kind),
    follows: (real) => source.follows(real),
  });
  await res.send(logFailure(archiveStream(format, entries), `/${source.segments.join('/')}`));
}

async function* logFailure(stream: AsyncGenerator<Buffer>, where: string): AsyncGenerator<Buffer> {
  try {
    yield* stream;
  } catch (error) {
    console.error(`wirehttp: archive of ${where} cut short: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}

/**
 * Content-Disposition for a download named `name`: an ASCII fallback for old clients, and the
 * exact name in RFC 8187 encoding (filename*), which every current browser prefers.
 */
export function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
