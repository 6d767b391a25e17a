/**
 * The records of a streamed ZIP archive (APPNOTE 6.3.10), each as the bytes it is: a local
 * header before an entry's data, a data descriptor after it, the central directory's entry
 * for it, and the end records. ZIP64 records are written exactly where a value does not fit
 * the classic field and nowhere else:
 *
 * - an entry that may reach 4 GiB ({@link entryNeedsZip64}, decided from its size before
 *   its data is written, since the local header comes first) has a ZIP64 extra field in its
 *   local header, an 8-byte data descriptor and, in the central directory, `0xFFFFFFFF`
 *   sizes with the real ones in its ZIP64 extra field;
 * - an entry whose local header starts at 4 GiB or beyond has its offset in a ZIP64 extra
 *   field of its central directory entry;
 * - an archive of 65 535 entries or more, or whose central directory starts or ends past
 *   4 GiB, ends with a ZIP64 end of central directory record and its locator before the
 *   classic record, whose fields that overflow read `0xFFFF` or `0xFFFFFFFF`.
 *
 * A folder within those limits gives the same bytes as the classic writer it replaced
 * (fflate's `Zip`), with no ZIP64 record at all.
 *
 * @since 0.2.0
 */

/** The largest value of a 4-byte field; itself the mark that the value is in a ZIP64 record. */
const MAX_32 = 0xffff_ffff

/** The largest count of a 2-byte field; itself the mark that the count is in a ZIP64 record. */
const MAX_16 = 0xffff

/** General purpose bit 3: CRC-32 and sizes follow the data, in a data descriptor. */
const FLAG_DATA_DESCRIPTOR = 0x0008

/** General purpose bit 11: the name is UTF-8. */
const FLAG_UTF8 = 0x0800

/** Deflate. */
const METHOD_DEFLATE = 8

/** Version 2.0 (deflate, folders) and 4.5 (ZIP64), needed to extract and made by. */
const VERSION_DEFLATE = 20
const VERSION_ZIP64 = 45

/** Made on Unix: the external attributes hold the mode in their high 16 bits. */
const MADE_ON_UNIX = 3

/** The header ID of the ZIP64 extended information extra field. */
const ZIP64_EXTRA_ID = 0x0001

/**
 * What an entry's records say about it: its name, time and mode from the folder, and,
 * once its data is written, its CRC-32, sizes and where its local header starts.
 *
 * @since 0.2.0
 * @category models
 */
export interface ZipEntryRecord {
  /** The name's bytes as stored. */
  readonly name: Uint8Array
  /** Whether the name is UTF-8 (general purpose bit 11). */
  readonly utf8: boolean
  readonly mtime: Date
  /** The Unix permission bits. */
  readonly mode: number
  /** Whether the local header carries a ZIP64 extra field (and the descriptor 8-byte sizes). */
  readonly zip64: boolean
  /** Where the local header starts in the archive. */
  readonly offset: number
  readonly crc: number
  readonly compressedSize: number
  readonly size: number
}

/**
 * Whether an entry of `size` bytes needs ZIP64 sizes: when it, or what deflate may make of
 * it (stored blocks cost 5 bytes per 16 KiB at worst, and each 1 MiB segment's sync flush a
 * few more), may reach 4 GiB. Decided before its data, from the size the folder walk saw.
 *
 * @since 0.2.0
 * @category rules
 */
export const entryNeedsZip64 = (size: number): boolean =>
  size + Math.ceil(size / 2048) + 64 * Math.ceil(size / (1024 * 1024)) + 1024 >= MAX_32

/**
 * The largest a data descriptor's 4-byte sizes may hold: an entry written without ZIP64
 * whose data reaches it (the file grew after the walk) cannot be described.
 *
 * @since 0.2.0
 * @category constants
 */
export const MAX_CLASSIC_SIZE = MAX_32 - 1

/** A file's time as MS-DOS packs it (local time, 2-second steps), as `zip` and fflate write it. */
const dosTime = (mtime: Date): number => {
  const year = Math.min(Math.max(mtime.getFullYear(), 1980), 2107) - 1980
  return ((year << 25) | ((mtime.getMonth() + 1) << 21) | (mtime.getDate() << 16) | (mtime.getHours() << 11) |
    (mtime.getMinutes() << 5) | (mtime.getSeconds() >> 1)) >>> 0
}

const flagsOf = (entry: { readonly utf8: boolean }): number => FLAG_DATA_DESCRIPTOR | (entry.utf8 ? FLAG_UTF8 : 0)

/** A record of `bytes` bytes, written through a little-endian view. */
const record = (bytes: number): { readonly bytes: Uint8Array; readonly view: DataView } => {
  const out = new Uint8Array(bytes)
  return { bytes: out, view: new DataView(out.buffer) }
}

/**
 * The local header of an entry whose CRC-32 and sizes follow its data. With `zip64`, its
 * sizes read `0xFFFFFFFF` and a ZIP64 extra field holds them (zero: not known yet).
 *
 * @since 0.2.0
 * @category constructors
 */
export const localHeader = (
  entry: Pick<ZipEntryRecord, "name" | "utf8" | "mtime" | "zip64">
): Uint8Array => {
  const extra = entry.zip64 ? 20 : 0
  const { bytes, view } = record(30 + entry.name.byteLength + extra)
  view.setUint32(0, 0x0403_4b50, true)
  view.setUint16(4, entry.zip64 ? VERSION_ZIP64 : VERSION_DEFLATE, true)
  view.setUint16(6, flagsOf(entry), true)
  view.setUint16(8, METHOD_DEFLATE, true)
  view.setUint32(10, dosTime(entry.mtime), true)
  // CRC-32 at 14 and the sizes at 18 and 22 are zero: they follow the data.
  if (entry.zip64) {
    view.setUint32(18, MAX_32, true)
    view.setUint32(22, MAX_32, true)
  }
  view.setUint16(26, entry.name.byteLength, true)
  view.setUint16(28, extra, true)
  bytes.set(entry.name, 30)
  if (entry.zip64) {
    const at = 30 + entry.name.byteLength
    view.setUint16(at, ZIP64_EXTRA_ID, true)
    view.setUint16(at + 2, 16, true)
    // Both sizes zero: they are in the data descriptor.
  }
  return bytes
}

/**
 * The data descriptor after an entry's data: its CRC-32 and sizes, 8 bytes each with `zip64`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const dataDescriptor = (
  entry: Pick<ZipEntryRecord, "zip64" | "crc" | "compressedSize" | "size">
): Uint8Array => {
  const { bytes, view } = record(entry.zip64 ? 24 : 16)
  view.setUint32(0, 0x0807_4b50, true)
  view.setUint32(4, entry.crc, true)
  if (entry.zip64) {
    view.setBigUint64(8, BigInt(entry.compressedSize), true)
    view.setBigUint64(16, BigInt(entry.size), true)
  } else {
    view.setUint32(8, entry.compressedSize, true)
    view.setUint32(12, entry.size, true)
  }
  return bytes
}

/**
 * An entry of the central directory. Its ZIP64 extra field, when it has one, holds (in the
 * format's order) the sizes, for an entry written with ZIP64 sizes, and the local header's
 * offset, when that is 4 GiB or beyond; each field it holds reads `0xFFFFFFFF`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const centralEntry = (entry: ZipEntryRecord): Uint8Array => {
  const sizes64 = entry.zip64
  const offset64 = entry.offset >= MAX_32
  const extraData = (sizes64 ? 16 : 0) + (offset64 ? 8 : 0)
  const extra = extraData === 0 ? 0 : 4 + extraData
  const zip64 = extra > 0
  const { bytes, view } = record(46 + entry.name.byteLength + extra)
  view.setUint32(0, 0x0201_4b50, true)
  view.setUint16(4, (MADE_ON_UNIX << 8) | (zip64 ? VERSION_ZIP64 : VERSION_DEFLATE), true)
  view.setUint16(6, zip64 ? VERSION_ZIP64 : VERSION_DEFLATE, true)
  view.setUint16(8, flagsOf(entry), true)
  view.setUint16(10, METHOD_DEFLATE, true)
  view.setUint32(12, dosTime(entry.mtime), true)
  view.setUint32(16, entry.crc, true)
  view.setUint32(20, sizes64 ? MAX_32 : entry.compressedSize, true)
  view.setUint32(24, sizes64 ? MAX_32 : entry.size, true)
  view.setUint16(28, entry.name.byteLength, true)
  view.setUint16(30, extra, true)
  // Comment length, disk number, internal attributes: zero.
  view.setUint32(38, ((0o100000 | entry.mode) << 16) >>> 0, true)
  view.setUint32(42, offset64 ? MAX_32 : entry.offset, true)
  bytes.set(entry.name, 46)
  if (zip64) {
    let at = 46 + entry.name.byteLength
    view.setUint16(at, ZIP64_EXTRA_ID, true)
    view.setUint16(at + 2, extraData, true)
    at += 4
    if (sizes64) {
      view.setBigUint64(at, BigInt(entry.size), true)
      view.setBigUint64(at + 8, BigInt(entry.compressedSize), true)
      at += 16
    }
    if (offset64) view.setBigUint64(at, BigInt(entry.offset), true)
  }
  return bytes
}

/**
 * Where the central directory is: its entries' count, its size and its offset.
 *
 * @since 0.2.0
 * @category models
 */
export interface CentralDirectory {
  readonly entries: number
  readonly size: number
  readonly offset: number
}

/**
 * Whether the archive must end with ZIP64 end records: a count or a place that the classic
 * record's fields cannot hold.
 *
 * @since 0.2.0
 * @category rules
 */
export const directoryNeedsZip64 = (directory: CentralDirectory): boolean =>
  directory.entries >= MAX_16 || directory.offset >= MAX_32 || directory.size >= MAX_32

/**
 * The records after the central directory: with ZIP64, the ZIP64 end of central directory
 * record and its locator; always, the classic end record, its overflowing fields at their
 * largest value.
 *
 * @since 0.2.0
 * @category constructors
 */
export const endRecords = (directory: CentralDirectory): Uint8Array => {
  const zip64 = directoryNeedsZip64(directory)
  const { bytes, view } = record((zip64 ? 56 + 20 : 0) + 22)
  let at = 0
  if (zip64) {
    view.setUint32(0, 0x0606_4b50, true)
    // The size of the rest of the record.
    view.setBigUint64(4, 44n, true)
    view.setUint16(12, (MADE_ON_UNIX << 8) | VERSION_ZIP64, true)
    view.setUint16(14, VERSION_ZIP64, true)
    // This disk and the directory's disk: zero.
    view.setBigUint64(24, BigInt(directory.entries), true)
    view.setBigUint64(32, BigInt(directory.entries), true)
    view.setBigUint64(40, BigInt(directory.size), true)
    view.setBigUint64(48, BigInt(directory.offset), true)
    // The locator: where that record starts (just after the directory), on disk zero of one.
    view.setUint32(56, 0x0706_4b50, true)
    view.setBigUint64(64, BigInt(directory.offset + directory.size), true)
    view.setUint32(72, 1, true)
    at = 76
  }
  const entries = Math.min(directory.entries, MAX_16)
  view.setUint32(at, 0x0605_4b50, true)
  view.setUint16(at + 8, entries, true)
  view.setUint16(at + 10, entries, true)
  view.setUint32(at + 12, Math.min(directory.size, MAX_32), true)
  view.setUint32(at + 16, Math.min(directory.offset, MAX_32), true)
  return bytes
}
