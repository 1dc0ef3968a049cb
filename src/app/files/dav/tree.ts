import { copyFile, lstat, mkdir, readdir, readlink, rename, rmdir, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import { HttpError, type Response } from '../../../index.js';
import { FS_MESSAGES, fsStatus } from './fs-status.js';
import { sendXml, type DavSpace } from './space.js';
import { Multistatus } from './xml-write.js';

/**
 * COPY and DELETE of a folder member by member (RFC 4918 §9.6.1, §9.8.5): a member that
 * fails is reported and the rest still happens; the caller answers 207 listing the failures.
 */

/** One member that could not be copied or removed. */
export interface MemberFailure {
  readonly segments: readonly string[];
  readonly collection: boolean;
  readonly status: number;
}

/**
 * Removes the entry at `real` (the request name `segments`) and everything below it. A folder
 * whose member failed stays (its own failure is implied, RFC 4918 §9.6.1, so not listed).
 */
export async function removeTree(real: string, segments: readonly string[]): Promise<MemberFailure[]> {
  const failures: MemberFailure[] = [];
  await removeEntry(real, segments, failures);
  return failures;
}

async function removeEntry(real: string, segments: readonly string[], failures: MemberFailure[]): Promise<boolean> {
  const info = await lstat(real).catch(() => null);
  if (info === null) return true;
  try {
    if (!info.isDirectory()) {
      await unlink(real);
      return true;
    }
    let clean = true;
    for (const name of await readdir(real)) {
      if (!(await removeEntry(path.join(real, name), [...segments, name], failures))) clean = false;
    }
    if (clean) await rmdir(real);
    return clean;
  } catch (error) {
    failures.push({ segments, collection: info.isDirectory(), status: fsStatus(error) });
    return false;
  }
}

/**
 * Copies the folder at `from` to `to` (which must not exist): the folder, then (when `deep`)
 * its visible members, files through a temporary name so readers never see half a file. Links
 * are copied as links; other special files are not copied and reported as 403.
 */
export async function copyTree(space: DavSpace, from: string, to: string, segments: readonly string[], deep: boolean): Promise<MemberFailure[]> {
  const failures: MemberFailure[] = [];
  await mkdir(to);
  if (deep) await copyMembers(space, from, to, segments, failures);
  return failures;
}

async function copyMembers(space: DavSpace, from: string, to: string, segments: readonly string[], failures: MemberFailure[]): Promise<void> {
  for (const name of await readdir(from)) {
    if (!space.files.visible(name)) continue;
    const source = path.join(from, name);
    const target = path.join(to, name);
    const member = [...segments, name];
    const info = await lstat(source).catch(() => null);
    if (info === null) continue;
    try {
      if (info.isDirectory()) {
        await mkdir(target);
        await copyMembers(space, source, target, member, failures);
      } else if (info.isFile()) {
        await copyFileAtomic(space, source, target);
      } else if (info.isSymbolicLink()) {
        await symlink(await readlink(source), target);
      } else {
        throw new HttpError(403, 'Not a regular file');
      }
    } catch (error) {
      failures.push({ segments: member, collection: info.isDirectory(), status: fsStatus(error) });
    }
  }
}

/** Copies one file through a temporary name beside the target, then renames it into place. */
export async function copyFileAtomic(space: DavSpace, from: string, to: string): Promise<void> {
  const temp = space.files.tempPath(path.dirname(to));
  try {
    await copyFile(from, temp);
    await rename(temp, to);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/**
 * Answers a tree operation that failed somewhere: when the request's own resource (`segments`)
 * is what failed, with that status alone; else 207 listing the members that failed.
 */
export function sendFailures(space: DavSpace, res: Response, failures: readonly MemberFailure[], segments: readonly string[]): void {
  const [first] = failures;
  if (failures.length === 1 && first !== undefined && first.segments.length === segments.length) {
    throw new HttpError(first.status, FS_MESSAGES[first.status] ?? 'The operation failed');
  }
  const body = new Multistatus();
  for (const failure of failures) body.status(space.href(failure.segments, failure.collection), failure.status);
  sendXml(res, 207, body.toString());
}
