import type { ArchiveEntry } from './entry.js';
import { tarStream } from './tar.js';
import { zipStream } from './zip.js';

export type ArchiveFormat = 'zip' | 'tar';

export const ARCHIVE_TYPES: Readonly<Record<ArchiveFormat, string>> = {
  zip: 'application/zip',
  tar: 'application/x-tar',
};

/**
 * The archive of `entries` as a pull stream of buffers: nothing is produced until the consumer
 * asks, so a slow client holds back the file reads (backpressure) and memory stays flat.
 * A failure while a member is read (a file vanished, shrank or grew) is thrown from the
 * iterator; the consumer must then cut the response rather than end it.
 */
export function archiveStream(format: ArchiveFormat, entries: AsyncIterable<ArchiveEntry>): AsyncGenerator<Buffer> {
  return coalesce(format === 'zip' ? zipStream(entries) : tarStream(entries));
}

/** Enough to make headers and small members share writes instead of one socket write each. */
const BATCH = 64 * 1024;

/**
 * Gathers small pieces (headers, descriptors, small files) into writes of about BATCH bytes;
 * a piece that is already large passes through without a copy when nothing is pending.
 */
async function* coalesce(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let size = 0;
  for await (const piece of source) {
    parts.push(piece);
    size += piece.length;
    if (size >= BATCH) {
      yield parts.length === 1 ? piece : Buffer.concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(parts, size);
}
