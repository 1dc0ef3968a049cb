import { mkdir, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { HttpError, type Request, type Response } from '../../index.js';
import { stageFile, type StagedFile } from './atomic-write.js';
import { fsError } from './fs-errors.js';
import { wantsJson } from './listing.js';
import { nameUrl } from './mount.js';
import { assertCreatable, assertInside, locate, parseFileName, type FileName } from './safe-path.js';
import { entityTag, evaluatePreconditions } from './validators.js';

/** Most file parts in one form; a form is one request, not a way around --max-body-size's spirit. */
const MAX_FILES = 10_000;
/** Most parts of any kind (fields are read and dropped, but still cost a little each). */
const MAX_PARTS = 20_000;

/** True for a POST whose body is an HTML form with files (`curl -F`, `<form enctype=multipart/form-data>`). */
export function isFormUpload(req: Request): boolean {
  return req.method === 'POST' && /^multipart\/form-data\s*;/i.test(req.header('content-type') ?? '');
}

/** Where the form's files go (file-write.ts's FileRoot, which imports this file). */
interface WriteRoot {
  realRoot: string;
  hidden: boolean;
  maxPathDepth: number;
}

/** One file of the form, staged and checked, waiting for the whole form to arrive. */
interface Received {
  /** Its name below the served directory. */
  segments: string[];
  /** Where it goes on disk (symlinks in existing folders resolved and checked). */
  real: string;
  exists: boolean;
  staged: StagedFile;
}

/**
 * POST of a multipart/form-data body, parsed as it streams in. To a folder URL each file part
 * is stored under its own file name in that folder (a name with "/" keeps its sub-folders; the
 * name is checked like a request name, so "../x" is a 400); to a file URL the form must hold
 * exactly one file, stored under the URL's name. Other fields are ignored. Every file is
 * staged first and they are renamed into place only once the whole form arrived, so an
 * aborted or refused form stores nothing, and the folders it created are removed again. With
 * `If-None-Match: *`, any name that exists fails the whole form with 412.
 */
export async function storeForm(root: WriteRoot, req: Request, res: Response, name: FileName): Promise<void> {
  const { realRoot, hidden } = root;
  const folder = name.directory ? name.segments : name.segments.slice(0, -1);
  const place = await locate(realRoot, folder, hidden);
  if (place.exists && !(await stat(place.real)).isDirectory()) throw new HttpError(409, 'A file is in the way');
  const folders = new NewFolders();
  let stored: Stored[];
  try {
    await folders.make(place.real).catch((error: unknown) => {
      throw error instanceof Error && 'code' in error && error.code === 'EEXIST' ? new HttpError(409, 'A file is in the way') : fsError(error);
    });
    await assertInside(realRoot, place.real);
    stored = await storeFiles(root, req, name, folder, place.real, folders);
  } catch (error) {
    // Every staged file is gone by now: the folders this form made are empty again.
    await folders.remove();
    if (res.closed) return; // the client went away mid-form; nothing was stored
    throw error;
  }
  res.status = 201;
  if (!name.directory && stored[0] !== undefined) res.setHeader('Location', stored[0].url);
  if (wantsJson(req.header('accept'))) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(`${JSON.stringify({ stored })}\n`);
    return;
  }
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(stored.map((file) => `stored ${file.url} (${file.size} bytes)\n`).join(''));
}

/** One stored file, as the answer lists it. */
interface Stored {
  name: string;
  url: string;
  size: number;
}

/**
 * Receives the form's files into `dir` (the folder of the URL, `folder` below the root), then
 * checks them all and renames them into place. Fails with no file stored and none staged.
 */
async function storeFiles(root: WriteRoot, req: Request, name: FileName, folder: string[], dir: string, folders: NewFolders): Promise<Stored[]> {
  const { realRoot, hidden } = root;
  const target = async (fileName: string): Promise<Omit<Received, 'staged'>> => {
    const segments = name.directory ? [...folder, ...parseFileName(fileName, hidden).segments] : name.segments;
    assertCreatable(realRoot, { segments, directory: false }, root.maxPathDepth);
    const { real, exists } = await locate(realRoot, segments, hidden);
    // A concurrent form that failed may have just removed the folder it made, empty until now.
    await folders.make(dir);
    return { segments, real, exists };
  };
  let received: Received[];
  try {
    received = await receiveFiles(req, dir, target);
  } catch (error) {
    if (req.body.errored !== null && !(error instanceof HttpError)) throw new HttpError(400, 'Request body incomplete');
    throw fsError(error);
  }
  try {
    if (received.length === 0) throw new HttpError(400, 'The form holds no file');
    if (!name.directory && received.length > 1) throw new HttpError(400, 'A file URL takes a form with one file');
    for (const file of received) {
      const current = file.exists ? await stat(file.real) : null;
      if (current?.isDirectory()) throw new HttpError(409, `A directory has the name ${file.segments.join('/')}`);
      const validators = current === null ? null : { etag: entityTag(current), mtimeMs: current.mtimeMs };
      if (evaluatePreconditions(req, validators) !== 'proceed') throw new HttpError(412, `${file.segments.join('/')} exists`);
    }
    for (const file of received) {
      const fileDir = path.dirname(file.real);
      await folders.make(fileDir);
      await assertInside(realRoot, fileDir);
      await file.staged.commit(file.real);
    }
  } catch (error) {
    await Promise.all(received.map((file) => file.staged.discard()));
    throw fsError(error);
  }
  return received.map((file) => ({ name: file.segments.join('/'), url: nameUrl(req, file.segments, false), size: file.staged.stats.size }));
}

/**
 * The folders one form created, so that a form that fails leaves none behind: a form to a
 * folder that does not exist yet creates it before the first part arrives.
 */
class NewFolders {
  /** Parents before children. */
  private readonly made: string[] = [];

  /** `mkdir -p dir`, remembering every level it created. */
  async make(dir: string): Promise<void> {
    // A recursive mkdir answers with the first (topmost) level it created, if any.
    const first = await mkdir(dir, { recursive: true });
    if (first === undefined) return;
    const levels: string[] = [];
    for (let level = dir; ; level = path.dirname(level)) {
      levels.unshift(level);
      if (level === first || level === path.dirname(level)) break;
    }
    this.made.push(...levels);
  }

  /**
   * Removes them again, children first, each only while empty: a concurrent request may have
   * stored something in one meanwhile, and then it stays with its parents.
   */
  async remove(): Promise<void> {
    for (const dir of this.made.reverse()) await rmdir(dir).catch(() => {});
    this.made.length = 0;
  }
}

/**
 * Streams the form's file parts into temporary files in `dir`, one after the other (busboy
 * waits while a part is being written, so memory stays flat whatever the part's size).
 * On any failure every file staged so far is removed before the error is rethrown.
 */
async function receiveFiles(
  req: Request,
  dir: string,
  target: (fileName: string) => Promise<Omit<Received, 'staged'>>,
): Promise<Received[]> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { 'content-type': req.header('content-type') },
      preservePath: true,
      defParamCharset: 'utf8',
      limits: { files: MAX_FILES, parts: MAX_PARTS },
    });
  } catch {
    throw new HttpError(400, 'Malformed multipart/form-data header');
  }
  // In the form's order: a short part can finish staging before the longer one ahead of it.
  const pending: Promise<Received | null>[] = [];
  // An object, not a variable: the listeners set it, and TypeScript's narrowing cannot see that.
  const outcome: { failure: Error | null } = { failure: null };
  // The first failure stops the parse: the part being written ends with an error, and what
  // is left of the body is the connection's to drain or close.
  const fail = (error: unknown): void => {
    outcome.failure ??= error instanceof Error ? error : new Error(String(error));
    req.body.unpipe(parser);
    parser.destroy();
  };
  parser.on('file', (_field: string, stream: Readable, info: busboy.FileInfo) => {
    // The body can fail while this part waits for its target (a body past --max-body-size):
    // busboy then destroys the part's stream with that error, which reaches the form through
    // the body's own 'error' event. Unlistened on the part, it would end the process.
    stream.on('error', ignore);
    // A file input left empty sends a part with an empty file name: nothing to store.
    const fileName = info.filename ?? '';
    if (outcome.failure !== null || fileName === '') {
      stream.resume();
      return;
    }
    pending.push(
      target(fileName)
        .then(async (where) => ({ ...where, staged: await stageFile(dir, stream) }))
        .catch((error: unknown) => {
          stream.resume();
          fail(error);
          return null;
        }),
    );
  });
  parser.on('filesLimit', () => fail(new HttpError(413, `A form holds at most ${MAX_FILES} files`)));
  parser.on('partsLimit', () => fail(new HttpError(413, `A form holds at most ${MAX_PARTS} parts`)));
  const finished = new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', (error: Error) => reject(new HttpError(400, `Malformed form: ${error.message}`)));
    const bodyFailed = (error: Error): void => {
      parser.destroy(error);
      reject(error);
    };
    req.body.on('error', bodyFailed);
    // The body may have failed while the form waited for its folder (the client left, its
    // framing broke): that 'error' event is past, and a parser fed by a destroyed body would
    // wait forever, keeping the handler and the folder it made.
    if (req.body.destroyed) bodyFailed(req.body.errored ?? new Error('Request body incomplete'));
  });
  req.body.pipe(parser);
  try {
    await finished;
  } catch (error) {
    fail(error);
  }
  const received = (await Promise.all(pending)).filter((file): file is Received => file !== null);
  if (outcome.failure !== null) {
    await Promise.all(received.map((file) => file.staged.discard()));
    throw outcome.failure;
  }
  return received;
}

function ignore(): void {}
