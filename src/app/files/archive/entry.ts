/** One member of an archive: a folder, or a file whose bytes are read when its turn comes. */
export type ArchiveEntry = FolderEntry | FileEntry;

interface EntryCommon {
  /** Path inside the archive: segments joined by "/", no leading or trailing "/". */
  path: string;
  mtime: Date;
  /** Permission bits (0o7777 at most). */
  mode: number;
}

export interface FolderEntry extends EntryCommon {
  kind: 'folder';
}

export interface FileEntry extends EntryCommon {
  kind: 'file';
  /** The size announced in the member's header; the content must match it exactly. */
  size: number;
  /** Opens the content; called once, when the member is written. */
  open(): AsyncIterable<Buffer> | Promise<AsyncIterable<Buffer>>;
}

/**
 * A file's content, checked against the size its header announced: a file that shrinks or grows
 * while it is read throws, so the archive is cut short (and visibly broken) instead of silently
 * wrong. `onChunk` sees every chunk before it is passed on (the zip writer's CRC-32).
 */
export async function* memberContent(entry: FileEntry, onChunk: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of await entry.open()) {
    read += chunk.length;
    if (read > entry.size) throw new Error(`${entry.path} grew while it was archived`);
    onChunk(chunk);
    yield chunk;
  }
  if (read !== entry.size) throw new Error(`${entry.path} shrank while it was archived`);
}
