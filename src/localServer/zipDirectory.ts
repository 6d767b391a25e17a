/**
 * A ZIP archive's central directory, read as the format describes it, ZIP64 included: the
 * end record (and, when the archive has one, the ZIP64 end record its locator points to),
 * then each entry of the directory with the ZIP64 extra field's sizes and offset where its
 * own fields read `0xFFFFFFFF`, each checked against its local header. Only the records
 * are read, never the entries' data, from any source that reads a range of bytes: the
 * archive in memory, as the local server holds an upload, or a file of any size.
 *
 * @since 0.2.0
 */

/**
 * Where an archive's bytes are read from: `read(offset, length)` gives at most `length`
 * bytes from `offset` (fewer only at the end).
 *
 * @since 0.2.0
 * @category models
 */
export interface ZipSource {
  readonly size: number
  readonly read: (offset: number, length: number) => Uint8Array
}

/**
 * An archive held in memory as a source.
 *
 * @since 0.2.0
 * @category constructors
 */
export const bytesSource = (archive: Uint8Array): ZipSource => ({
  size: archive.byteLength,
  read: (offset, length) => archive.subarray(offset, Math.min(archive.byteLength, offset + length))
})

/**
 * One entry of the central directory.
 *
 * @since 0.2.0
 * @category models
 */
export interface ZipDirectoryEntry {
  /** The name's bytes as stored. */
  readonly nameBytes: Uint8Array
  /** General purpose bit 11: the writer marked the name UTF-8. */
  readonly utf8Flag: boolean
  readonly compressedSize: number
  readonly size: number
  /** Where its local header starts. */
  readonly offset: number
  /** Whether it has a ZIP64 extra field in the central directory. */
  readonly zip64: boolean
}

/**
 * An archive's central directory: its entries, and whether it ends with ZIP64 records.
 *
 * @since 0.2.0
 * @category models
 */
export interface ZipDirectory {
  readonly entries: ReadonlyArray<ZipDirectoryEntry>
  readonly zip64End: boolean
}

const MAX_16 = 0xffff
const MAX_32 = 0xffff_ffff

/** Thrown within this module for bytes that are not what the format says; never escapes it. */
class NotZip {
  readonly _tag = "NotZip"
}

const exactly = (source: ZipSource, offset: number, length: number): DataView => {
  if (offset < 0 || offset + length > source.size) throw new NotZip()
  const bytes = source.read(offset, length)
  if (bytes.byteLength !== length) throw new NotZip()
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

const u64 = (view: DataView, at: number): number => {
  const value = view.getBigUint64(at, true)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new NotZip()
  return Number(value)
}

/** The classic end record: the last one in the archive's final 64 KiB and 22 bytes. */
const findEnd = (source: ZipSource): { readonly at: number; readonly view: DataView } => {
  const from = Math.max(0, source.size - (22 + MAX_16))
  const tail = exactly(source, from, source.size - from)
  for (let at = tail.byteLength - 22; at >= 0; at--) {
    if (tail.getUint32(at, true) === 0x0605_4b50) {
      return { at: from + at, view: new DataView(tail.buffer, tail.byteOffset + at, 22) }
    }
  }
  throw new NotZip()
}

/** The directory's count, size and offset: the classic record's, or the ZIP64 record's where it has one. */
const directoryPlace = (source: ZipSource) => {
  const end = findEnd(source)
  const classic = {
    entries: end.view.getUint16(10, true),
    size: end.view.getUint32(12, true),
    offset: end.view.getUint32(16, true)
  }
  const locatorAt = end.at - 20
  const locator = locatorAt >= 0 ? exactly(source, locatorAt, 20) : undefined
  if (locator === undefined || locator.getUint32(0, true) !== 0x0706_4b50) {
    if (classic.entries === MAX_16 || classic.size === MAX_32 || classic.offset === MAX_32) throw new NotZip()
    return { ...classic, zip64End: false }
  }
  const record = exactly(source, u64(locator, 8), 56)
  if (record.getUint32(0, true) !== 0x0606_4b50) throw new NotZip()
  return { entries: u64(record, 32), size: u64(record, 40), offset: u64(record, 48), zip64End: true }
}

/**
 * The central directory of the archive `source` holds, or `undefined` when it is not a ZIP
 * archive (no end record, or records that do not line up).
 *
 * @since 0.2.0
 * @category constructors
 */
export const readZipDirectory = (source: ZipSource): ZipDirectory | undefined => {
  try {
    const place = directoryPlace(source)
    const directory = exactly(source, place.offset, place.size)
    const entries: Array<ZipDirectoryEntry> = []
    let at = 0
    for (let index = 0; index < place.entries; index++) {
      if (at + 46 > directory.byteLength || directory.getUint32(at, true) !== 0x0201_4b50) throw new NotZip()
      const nameLength = directory.getUint16(at + 28, true)
      const extraLength = directory.getUint16(at + 30, true)
      const commentLength = directory.getUint16(at + 32, true)
      const next = at + 46 + nameLength + extraLength + commentLength
      if (next > directory.byteLength) throw new NotZip()
      let size = directory.getUint32(at + 24, true)
      let compressedSize = directory.getUint32(at + 20, true)
      let offset = directory.getUint32(at + 42, true)
      let zip64 = false
      // The extra fields: the ZIP64 one holds, in this order, each value whose field overflowed.
      for (let field = at + 46 + nameLength; field + 4 <= at + 46 + nameLength + extraLength;) {
        const id = directory.getUint16(field, true)
        const length = directory.getUint16(field + 2, true)
        if (field + 4 + length > at + 46 + nameLength + extraLength) throw new NotZip()
        if (id === 0x0001) {
          zip64 = true
          let value = field + 4
          const take = (): number => {
            if (value + 8 > field + 4 + length) throw new NotZip()
            const read = u64(directory, value)
            value += 8
            return read
          }
          if (size === MAX_32) size = take()
          if (compressedSize === MAX_32) compressedSize = take()
          if (offset === MAX_32) offset = take()
        }
        field += 4 + length
      }
      const nameBytes = new Uint8Array(directory.buffer, directory.byteOffset + at + 46, nameLength).slice()
      // The local header: where the entry's data starts, under the same name.
      const local = exactly(source, offset, 30)
      if (local.getUint32(0, true) !== 0x0403_4b50 || local.getUint16(26, true) !== nameLength) throw new NotZip()
      const localName = exactly(source, offset + 30, nameLength)
      for (let i = 0; i < nameLength; i++) if (localName.getUint8(i) !== nameBytes[i]) throw new NotZip()
      const dataEnd = offset + 30 + nameLength + local.getUint16(28, true) + compressedSize
      if (dataEnd > place.offset) throw new NotZip()
      entries.push({
        nameBytes,
        utf8Flag: (directory.getUint16(at + 8, true) & 0x0800) !== 0,
        compressedSize,
        size,
        offset,
        zip64
      })
      at = next
    }
    return { entries, zip64End: place.zip64End }
  } catch (error) {
    if (error instanceof NotZip) return undefined
    throw error
  }
}
