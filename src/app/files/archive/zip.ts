import { crc32 } from 'node:zlib';
import { memberContent, type ArchiveEntry } from './entry.js';

/**
 * A streamed zip (APPNOTE 6.3): every member stored as is, its CRC-32 computed while it passes
 * and written after it in a data descriptor, so nothing is buffered or read twice. Zip64 records
 * appear only where a value does not fit the classic fields (a member of 4 GiB or more, an
 * offset beyond 4 GiB, more than 65,535 members); small archives stay readable by old tools.
 * Names are UTF-8 with the language-encoding flag; modification times are in both the DOS
 * fields (local time, 2-second steps) and an extended-timestamp field (UTC seconds).
 * What stays in memory is the central directory, which can only be written at the end: about
 * 60 bytes plus the name per member (some 9 MB for 100,000 files), whatever their sizes.
 */
export async function* zipStream(entries: AsyncIterable<ArchiveEntry>): AsyncGenerator<Buffer> {
  const central = new PagedBytes();
  let count = 0;
  let offset = 0;
  for await (const entry of entries) {
    const member: Member = {
      name: Buffer.from(entry.kind === 'folder' ? `${entry.path}/` : entry.path, 'utf8'),
      folder: entry.kind === 'folder',
      mode: entry.mode & 0o7777,
      mtime: entry.mtime,
      zip64: entry.kind === 'file' && entry.size >= MAX32,
      offset,
      crc: 0,
      size: entry.kind === 'file' ? entry.size : 0,
    };
    const local = localHeader(member);
    offset += local.length;
    yield local;
    if (entry.kind === 'file') {
      let crc = 0;
      for await (const chunk of memberContent(entry, (data) => (crc = crc32(data, crc)))) yield chunk;
      member.crc = crc;
      offset += entry.size;
      const descriptor = dataDescriptor(member);
      offset += descriptor.length;
      yield descriptor;
    }
    central.append(centralHeader(member));
    count++;
  }
  yield* central.pages();
  yield endRecords(count, offset, central.length);
}

/**
 * Bytes appended in small pieces and kept in large pages: a central directory header is some
 * 80 bytes, and as a Buffer of its own it would cost several times that in object overhead
 * (measured: 28 MB for 100,000 members as separate Buffers, 9 MB in pages).
 */
class PagedBytes {
  private static readonly PAGE = 256 * 1024;
  private readonly full: Buffer[] = [];
  private page = Buffer.allocUnsafe(PagedBytes.PAGE);
  private used = 0;
  length = 0;

  append(bytes: Buffer): void {
    if (this.used + bytes.length > this.page.length) {
      this.full.push(this.page.subarray(0, this.used));
      this.page = Buffer.allocUnsafe(Math.max(PagedBytes.PAGE, bytes.length));
      this.used = 0;
    }
    bytes.copy(this.page, this.used);
    this.used += bytes.length;
    this.length += bytes.length;
  }

  *pages(): Generator<Buffer> {
    yield* this.full;
    if (this.used > 0) yield this.page.subarray(0, this.used);
  }
}

interface Member {
  name: Buffer;
  folder: boolean;
  mode: number;
  mtime: Date;
  /** Sizes need 64 bits: the local header carries a zip64 field and the descriptor 8-byte sizes. */
  zip64: boolean;
  /** Where the local header starts. */
  offset: number;
  crc: number;
  size: number;
}

const MAX16 = 0xffff;
const MAX32 = 0xffffffff;
/** Unix (3) as the host system, APPNOTE 6.3 as the version. */
const MADE_BY = (3 << 8) | 63;
const NEEDS_BASIC = 20;
const NEEDS_ZIP64 = 45;
/** Bit 3: sizes and CRC follow the data; bit 11: names are UTF-8. */
const FILE_FLAGS = 0x0008 | 0x0800;
const FOLDER_FLAGS = 0x0800;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const MSDOS_DIRECTORY = 0x10;

function localHeader(member: Member): Buffer {
  const timestamp = extendedTimestamp(member.mtime);
  // With a data descriptor the local sizes are placeholders; a zip64 member says so with 0xffffffff.
  const zip64 = member.zip64 ? zip64Field([0, 0]) : EMPTY;
  const out = Buffer.alloc(30 + member.name.length + timestamp.length + zip64.length);
  const { time, date } = dosDateTime(member.mtime);
  out.writeUInt32LE(0x04034b50, 0);
  out.writeUInt16LE(member.zip64 ? NEEDS_ZIP64 : NEEDS_BASIC, 4);
  out.writeUInt16LE(member.folder ? FOLDER_FLAGS : FILE_FLAGS, 6);
  out.writeUInt16LE(0, 8); // stored
  out.writeUInt16LE(time, 10);
  out.writeUInt16LE(date, 12);
  out.writeUInt32LE(0, 14);
  out.writeUInt32LE(member.zip64 ? MAX32 : 0, 18);
  out.writeUInt32LE(member.zip64 ? MAX32 : 0, 22);
  out.writeUInt16LE(member.name.length, 26);
  out.writeUInt16LE(timestamp.length + zip64.length, 28);
  member.name.copy(out, 30);
  timestamp.copy(out, 30 + member.name.length);
  zip64.copy(out, 30 + member.name.length + timestamp.length);
  return out;
}

function dataDescriptor(member: Member): Buffer {
  const out = Buffer.alloc(member.zip64 ? 24 : 16);
  out.writeUInt32LE(0x08074b50, 0);
  out.writeUInt32LE(member.crc, 4);
  if (member.zip64) {
    out.writeBigUInt64LE(BigInt(member.size), 8);
    out.writeBigUInt64LE(BigInt(member.size), 16);
  } else {
    out.writeUInt32LE(member.size, 8);
    out.writeUInt32LE(member.size, 12);
  }
  return out;
}

function centralHeader(member: Member): Buffer {
  const bigSize = member.size >= MAX32;
  const bigOffset = member.offset >= MAX32;
  const wide: number[] = [];
  if (bigSize) wide.push(member.size, member.size);
  if (bigOffset) wide.push(member.offset);
  const zip64 = wide.length > 0 ? zip64Field(wide) : EMPTY;
  const timestamp = extendedTimestamp(member.mtime);
  const out = Buffer.alloc(46 + member.name.length + timestamp.length + zip64.length);
  const { time, date } = dosDateTime(member.mtime);
  out.writeUInt32LE(0x02014b50, 0);
  out.writeUInt16LE(MADE_BY, 4);
  out.writeUInt16LE(member.zip64 || bigOffset ? NEEDS_ZIP64 : NEEDS_BASIC, 6);
  out.writeUInt16LE(member.folder ? FOLDER_FLAGS : FILE_FLAGS, 8);
  out.writeUInt16LE(0, 10);
  out.writeUInt16LE(time, 12);
  out.writeUInt16LE(date, 14);
  out.writeUInt32LE(member.crc, 16);
  out.writeUInt32LE(bigSize ? MAX32 : member.size, 20);
  out.writeUInt32LE(bigSize ? MAX32 : member.size, 24);
  out.writeUInt16LE(member.name.length, 28);
  out.writeUInt16LE(timestamp.length + zip64.length, 30);
  // comment length, disk number, internal attributes: zero
  const unixMode = (member.folder ? S_IFDIR : S_IFREG) | member.mode;
  out.writeUInt32LE(((unixMode << 16) | (member.folder ? MSDOS_DIRECTORY : 0)) >>> 0, 38);
  out.writeUInt32LE(bigOffset ? MAX32 : member.offset, 42);
  member.name.copy(out, 46);
  timestamp.copy(out, 46 + member.name.length);
  zip64.copy(out, 46 + member.name.length + timestamp.length);
  return out;
}

/** The end of central directory record, preceded by the zip64 record and locator when needed. */
function endRecords(count: number, directoryOffset: number, directorySize: number): Buffer {
  const zip64 = count > MAX16 || directoryOffset >= MAX32 || directorySize >= MAX32;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(count, MAX16), 8);
  end.writeUInt16LE(Math.min(count, MAX16), 10);
  end.writeUInt32LE(Math.min(directorySize, MAX32), 12);
  end.writeUInt32LE(Math.min(directoryOffset, MAX32), 16);
  if (!zip64) return end;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4); // size of the rest of this record
  record.writeUInt16LE(MADE_BY, 12);
  record.writeUInt16LE(NEEDS_ZIP64, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(directorySize), 40);
  record.writeBigUInt64LE(BigInt(directoryOffset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(directoryOffset + directorySize), 8);
  locator.writeUInt32LE(1, 16);
  return Buffer.concat([record, locator, end]);
}

const EMPTY = Buffer.alloc(0);

/** Extra field 0x0001 with the given 64-bit values, in the order APPNOTE 4.5.3 lists them. */
function zip64Field(values: readonly number[]): Buffer {
  const out = Buffer.alloc(4 + 8 * values.length);
  out.writeUInt16LE(0x0001, 0);
  out.writeUInt16LE(8 * values.length, 2);
  values.forEach((value, i) => out.writeBigUInt64LE(BigInt(value), 4 + 8 * i));
  return out;
}

/** Extra field 0x5455 (Info-ZIP extended timestamp): the modification time in UTC seconds. */
function extendedTimestamp(mtime: Date): Buffer {
  const out = Buffer.alloc(9);
  out.writeUInt16LE(0x5455, 0);
  out.writeUInt16LE(5, 2);
  out.writeUInt8(1, 4); // modification time present
  out.writeUInt32LE(Math.min(Math.max(Math.floor(mtime.getTime() / 1000), 0), MAX32), 5);
  return out;
}

/** DOS date and time fields (local time); dates before 1980 become 1980-01-01 00:00. */
function dosDateTime(mtime: Date): { time: number; date: number } {
  const year = mtime.getFullYear();
  if (year < 1980) return { time: 0, date: (1 << 5) | 1 };
  if (year > 2107) return { time: (23 << 11) | (59 << 5) | 29, date: (127 << 9) | (12 << 5) | 31 };
  return {
    time: (mtime.getHours() << 11) | (mtime.getMinutes() << 5) | (mtime.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((mtime.getMonth() + 1) << 5) | mtime.getDate(),
  };
}
