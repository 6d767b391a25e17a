/**
 * What a receiving server can say about a multipart artifacts upload without keeping it: the body is read to the
 * end, counted, and only its head (the part headers) and its tail (the ZIP's central directory and end record,
 * then the closing boundary) are kept. From those, the ZIP's length as sent is checked against the offsets its
 * end record gives, and its entries are listed with their sizes, so a contender that sent less (or a truncated
 * archive) shows up as a failed check, not as a fast run. Used by the bench's server (`server.ts`).
 */

/** What one request carried. */
export interface ReceivedUpload {
  /** Bytes of the whole body, as read. */
  readonly bodyBytes: number
  /** `chunked`, or `content-length` (checked against the bytes read). */
  readonly framing: "chunked" | "content-length"
  /** Bytes of the `artifacts` part's content: the ZIP as sent. */
  readonly archiveBytes: number
  /** Every entry's name in the central directory, in order (directories end with `/`). */
  readonly names: ReadonlyArray<string>
  /** Entries that are files (not directories). */
  readonly files: number
  /** The files' sizes before compression, added up. */
  readonly uncompressedBytes: number
  /** Why the body is not a whole multipart upload with a ZIP in it, or `undefined` when it is. */
  readonly problem: string | undefined
}

/** Kept from the start of the body: far more than the text fields and the file part's headers take. */
const HEAD_BYTES = 64 * 1024
/** Kept from the end: a central directory of 3 000 entries is about 0.5 MB, of 70 000 about 7 MB. */
const TAIL_BYTES = 16 * 1024 * 1024

const LOCAL_SIGNATURE = 0x04034b50
const EOCD_SIGNATURE = 0x06054b50
const CENTRAL_SIGNATURE = 0x02014b50
const EOCD_BYTES = 22
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50
const ZIP64_EOCD_SIGNATURE = 0x06064b50
const ZIP64_LOCATOR_BYTES = 20

/** Reads one request's body as it arrives; {@link UploadReader.end} says what it was. */
export class UploadReader {
  private bytes = 0
  private head: Array<Buffer> = []
  private headBytes = 0
  private tail: Array<Buffer> = []
  private tailBytes = 0

  constructor(private readonly contentType: string | undefined, private readonly contentLength: string | undefined) {}

  /** One chunk of the body. */
  push(chunk: Buffer): void {
    this.bytes += chunk.byteLength
    if (this.headBytes < HEAD_BYTES) {
      this.head.push(chunk)
      this.headBytes += chunk.byteLength
    }
    this.tail.push(chunk)
    this.tailBytes += chunk.byteLength
    // Drop whole chunks from the front while the rest still covers the tail.
    while (this.tail.length > 1 && this.tailBytes - this.tail[0]!.byteLength >= TAIL_BYTES) {
      this.tailBytes -= this.tail.shift()!.byteLength
    }
  }

  /** The body has ended. */
  end(): ReceivedUpload {
    const framing = this.contentLength === undefined ? "chunked" : "content-length"
    const found = this.read()
    const lengthProblem = this.contentLength !== undefined && Number(this.contentLength) !== this.bytes
      ? `Content-Length ${this.contentLength}, ${this.bytes} bytes read`
      : undefined
    return {
      bodyBytes: this.bytes,
      framing,
      archiveBytes: found.archiveBytes ?? 0,
      names: found.names ?? [],
      files: (found.names ?? []).filter((name) => !name.endsWith("/")).length,
      uncompressedBytes: found.uncompressedBytes ?? 0,
      problem: lengthProblem ?? found.problem
    }
  }

  private read(): {
    readonly problem?: string
    readonly archiveBytes?: number
    readonly names?: ReadonlyArray<string>
    readonly uncompressedBytes?: number
  } {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(this.contentType ?? "")
    if (boundary === null) return { problem: `no multipart boundary in ${this.contentType}` }
    const delimiter = `--${boundary[1] ?? boundary[2]!.trim()}`
    const head = Buffer.concat(this.head)
    // The file part's content starts after the blank line that ends its headers.
    const part = head.indexOf('name="artifacts"')
    const start = part < 0 ? -1 : head.indexOf("\r\n\r\n", part)
    if (start < 0) return { problem: "no artifacts part in the body's first 64 KiB" }
    const archiveStart = start + 4
    if (head.byteLength < archiveStart + 4 || head.readUInt32LE(archiveStart) !== LOCAL_SIGNATURE) {
      return { problem: "the artifacts part does not start with a ZIP entry" }
    }
    const tail = Buffer.concat(this.tail)
    const tailStart = this.bytes - tail.byteLength
    const close = tail.lastIndexOf(`\r\n${delimiter}--`)
    if (close < 0) return { problem: "the body does not end with the closing boundary" }
    const archiveEnd = tailStart + close
    const archiveBytes = archiveEnd - archiveStart
    // The ZIP's end record: the last 22 bytes, unless a comment follows it (none here, but searched for).
    let eocd = -1
    for (let at = close - EOCD_BYTES; at >= Math.max(0, close - EOCD_BYTES - 0xffff); at--) {
      if (tail.readUInt32LE(at) === EOCD_SIGNATURE && at + EOCD_BYTES + tail.readUInt16LE(at + 20) === close) {
        eocd = at
        break
      }
    }
    if (eocd < 0) return { problem: "no ZIP end record before the closing boundary", archiveBytes }
    let entries = tail.readUInt16LE(eocd + 10)
    let directoryBytes = tail.readUInt32LE(eocd + 12)
    let directoryOffset = tail.readUInt32LE(eocd + 16)
    // ZIP64 (more than 65 535 entries, or past 4 GiB): the classic fields say 0xFFFF… and the
    // ZIP64 end record, which its locator just before the end record points to, holds them.
    let directoryEnd = eocd
    const locator = eocd - ZIP64_LOCATOR_BYTES
    if (locator >= 0 && tail.readUInt32LE(locator) === ZIP64_LOCATOR_SIGNATURE) {
      const recordInTail = Number(tail.readBigUInt64LE(locator + 8)) + archiveStart - tailStart
      if (recordInTail < 0 || tail.readUInt32LE(recordInTail) !== ZIP64_EOCD_SIGNATURE) {
        return { problem: "the ZIP64 locator points to no ZIP64 end record", archiveBytes }
      }
      entries = Number(tail.readBigUInt64LE(recordInTail + 32))
      directoryBytes = Number(tail.readBigUInt64LE(recordInTail + 40))
      directoryOffset = Number(tail.readBigUInt64LE(recordInTail + 48))
      directoryEnd = recordInTail
    }
    // Offsets are from the archive's first byte: the directory must end where the end record starts.
    const eocdInArchive = tailStart + directoryEnd - archiveStart
    if (directoryOffset + directoryBytes !== eocdInArchive) {
      return {
        problem:
          `the central directory (at ${directoryOffset}, ${directoryBytes} bytes) does not end at the end record (${eocdInArchive}): bytes are missing or extra`,
        archiveBytes
      }
    }
    let at = directoryEnd - directoryBytes
    if (at < 0) return { problem: "the central directory is larger than the tail kept", archiveBytes }
    const names: Array<string> = []
    let uncompressedBytes = 0
    for (let i = 0; i < entries; i++) {
      if (tail.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
        return { problem: `central directory entry ${i} has no signature`, archiveBytes, names }
      }
      const nameBytes = tail.readUInt16LE(at + 28)
      const extraBytes = tail.readUInt16LE(at + 30)
      const size = tail.readUInt32LE(at + 24)
      // A size of 0xFFFFFFFF is in the ZIP64 extra field (id 1), its first 8 bytes.
      let zip64Size: number | undefined
      for (let extra = at + 46 + nameBytes; size === 0xffffffff && extra < at + 46 + nameBytes + extraBytes;) {
        if (tail.readUInt16LE(extra) === 1) zip64Size = Number(tail.readBigUInt64LE(extra + 4))
        extra += 4 + tail.readUInt16LE(extra + 2)
      }
      uncompressedBytes += zip64Size ?? size
      const commentBytes = tail.readUInt16LE(at + 32)
      names.push(tail.toString("utf8", at + 46, at + 46 + nameBytes))
      at += 46 + nameBytes + extraBytes + commentBytes
    }
    if (at !== directoryEnd) {
      return { problem: "the central directory's entries do not fill it", archiveBytes, names }
    }
    return { archiveBytes, names, uncompressedBytes }
  }
}
