/**
 * A target folder as a deflate ZIP, written as it is read and handed on a chunk at a
 * time, each chunk made only when the consumer (the connection) asks for more, so memory
 * holds about one read whatever the folder's size. The container (local headers, data
 * descriptors, central directory, ZIP64 records where a count, size or offset needs them)
 * is written by `zipRecords.ts`; the deflate is node:zlib's, native. Measured
 * (`npm run bench:zip`): about the time of `zip -r` on a dbt-like target, where yazl, the
 * fastest library writer with ZIP64, takes 1.7× (docs/guides/performance.md).
 *
 * A dbt target is mostly thousands of small files, and every asynchronous step (an `fs`
 * call, a zlib stream) is a round trip through the thread pool that costs more than
 * deflating such a file: so a file up to {@link SMALL_FILE_BYTES} is read and deflated
 * synchronously, its output buffer sized to it, and the small chunks are joined before they
 * are handed on. A larger file is deflated in segments side by side, on every core
 * (`segmentedDeflate.ts`). What made the memory (peak RSS of the CLI uploading a 150 MB
 * target on Node 24, 158–163 MB before, 137–140 MB after): zlib's 16 KiB output buffer per
 * small file, kept by its output, and a write per chunk; not the large files.
 *
 * Nothing in the format limits a folder: past 65 535 files or 4 GiB the archive is ZIP64.
 * What is refused before anything is sent is a folder over the upload's safety limit
 * ({@link uploadLimitProblem}).
 *
 * @since 0.2.0
 */
import { readFileSync } from "node:fs"
import { deflateRawSync } from "node:zlib"
import { runningCrc } from "./crc32.ts"
import { fsPath } from "./fsPath.ts"
import { isUtf8 } from "./entryName.ts"
import { deflateFile, PARALLEL_SEGMENTS } from "./segmentedDeflate.ts"
import { POOLED_FROM_BYTES, readAhead } from "./readAheadDeflate.ts"
import { type ArtifactFile, type FolderProblem, systemWords, type TargetFolder } from "./targetFolder.ts"
import {
  centralEntry,
  dataDescriptor,
  endRecords,
  entryNeedsZip64,
  localHeader,
  MAX_CLASSIC_SIZE,
  type ZipEntryRecord
} from "./zipRecords.ts"

/**
 * Files up to this size are read whole and deflated alone: on the spot below
 * `POOLED_FROM_BYTES` (or all of them at a concurrency of 1), else read ahead and deflated in
 * the thread pool (`readAheadDeflate.ts`).
 */
export const SMALL_FILE_BYTES = 1024 * 1024

/** zlib's default level, as `zip -r` and the SDK's `zipfile` use it. */
export const LEVEL = 6

/**
 * The output buffer zlib allocates for a small file's deflate: about what its output needs
 * (a quarter of the input; more comes as further buffers, joined), not zlib's default
 * 16 KiB, which the output would keep alive whatever its size. A dbt target's thousands of
 * compiled .sql files deflate to a few hundred bytes each; at 16 KiB each, their buffers
 * were 48 MB of garbage a 3 000-file upload made, and the peak RSS of such an upload was
 * 169 MB on Node 24 instead of 103 MB (measured with `--import` of a sampler, issue 18).
 */
const outputChunkBytes = (inputBytes: number): number => Math.min(16 * 1024, Math.max(64, inputBytes >>> 2))

/**
 * Chunks smaller than this are joined before they are handed on, {@link COALESCED_BYTES}
 * at a time. A small file is three chunks (header, data, descriptor) of tens to hundreds of
 * bytes; joined, a 3 000-file target is a few hundred writes instead of 9 000, each of
 * which costs the transport a write's objects and the connection a system call. Larger
 * chunks (a large file's deflate output) go as they are: copying them would double the
 * garbage they make.
 */
const JOINED_BELOW_BYTES = 8 * 1024

/** How much of the small chunks is joined into one. */
const COALESCED_BYTES = 64 * 1024

/** `chunks` copied into one array of `bytes`. */
const joined = (chunks: ReadonlyArray<Uint8Array>, bytes: number): Uint8Array => {
  const whole = new Uint8Array(bytes)
  let offset = 0
  for (const chunk of chunks) {
    whole.set(chunk, offset)
    offset += chunk.byteLength
  }
  return whole
}

/**
 * The most bytes (before compression) an upload sends unless told otherwise: a safety
 * limit, not the format's (ZIP64 has none that matters), against uploading the wrong folder
 * for an hour. `--max-upload-size` and `DATAFOLD_MAX_UPLOAD_SIZE` (the `maxUploadBytes`
 * option of the library) raise it.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 ** 3

/**
 * Why `folder` is not uploaded: more bytes than `maxBytes`; `undefined` when it is within it.
 *
 * @since 0.2.0
 * @category rules
 */
export const uploadLimitProblem = (folder: TargetFolder, maxBytes: number): FolderProblem | undefined =>
  folder.bytes > maxBytes
    ? {
      reason: "TooLarge",
      targetFolder: folder.targetFolder,
      detail: `${folder.bytes} bytes in ${folder.files.length} files, more than the upload limit of ${maxBytes}`
    }
    : undefined

/**
 * One read of the folder as a ZIP.
 *
 * @since 0.2.0
 * @category models
 */
export interface ArtifactsZip {
  readonly chunks: AsyncIterable<Uint8Array>
  /** A file that could not be read once writing had begun (the read then stops). */
  readonly failure: () => FolderProblem | undefined
  /** The ZIP's bytes handed on so far (all of it, once `chunks` has ended). */
  readonly archiveBytes: () => number
}

/**
 * Where reading stands: files finished and bytes read (before compression).
 *
 * @since 0.2.0
 * @category models
 */
export type ZipProgress = (files: number, bytes: number) => void

/**
 * How the ZIP is written.
 *
 * @since 0.2.0
 * @category models
 */
export interface ZipOptions {
  /** Deflate's level: {@link LEVEL} unless a test asks for 0 (stored blocks: an archive as large as its files). */
  readonly level?: number
  /**
   * How many segments of a large file, or whole-read files from 64 KiB, are deflated at once
   * (`--concurrency`, `DATAFOLD_UPLOAD_CONCURRENCY`); the cores, two to four, unless given. The archive is the
   * same bytes whatever it is.
   */
  readonly concurrency?: number | undefined
  /** Reads a file whole (up to {@link SMALL_FILE_BYTES}); `readFileSync` unless a test watches the reads. */
  readonly readFile?: ((path: ArtifactFile["path"]) => Uint8Array) | undefined
}

const encoder = new TextEncoder()

/**
 * A name's bytes, as the file system holds them, and whether they are marked UTF-8: a name
 * is when its bytes are UTF-8 beyond ASCII (an ASCII name reads the same in every encoding,
 * and fflate, `zip` and Python leave it unmarked too); a name that is not UTF-8 is stored
 * unmarked, its bytes as they are.
 */
const nameBytesOf = (file: ArtifactFile): { readonly name: Uint8Array; readonly utf8: boolean } => {
  const name = file.nameBytes ?? encoder.encode(file.name)
  return { name, utf8: name.some((byte) => byte >= 0x80) && isUtf8(name) }
}

/**
 * The ZIP of `folder`'s files, in their order. `progress` is called after each read.
 *
 * @since 0.2.0
 * @category constructors
 */
export const zipTargetFolder = (
  folder: TargetFolder,
  progress: ZipProgress,
  options: ZipOptions = {}
): ArtifactsZip => {
  const level = options.level ?? LEVEL
  const readFile = options.readFile ?? ((path: ArtifactFile["path"]) => readFileSync(fsPath(path)))
  let failure: FolderProblem | undefined
  let archiveBytes = 0
  const readFailed = (file: ArtifactFile, error: unknown): Error => {
    failure = { reason: "Unreadable", targetFolder: folder.targetFolder, path: file.name, detail: systemWords(error) }
    return new Error(`reading ${file.name} failed: ${failure.detail}`)
  }
  const grew = (file: ArtifactFile): Error => {
    failure = {
      reason: "Unreadable",
      targetFolder: folder.targetFolder,
      path: file.name,
      detail: `it grew past 4 GiB (from ${file.size} bytes) while being read`
    }
    return new Error(`reading ${file.name} failed: ${failure.detail}`)
  }

  async function* chunks(): AsyncGenerator<Uint8Array> {
    // What has been written since the last step, handed on before the next read: chunks
    // under JOINED_BELOW_BYTES are held and handed on joined, COALESCED_BYTES at a time.
    let held: Array<Uint8Array> = []
    let heldBytes = 0
    const take = (): Uint8Array => {
      const chunk = held.length === 1 ? held[0]! : joined(held, heldBytes)
      held = []
      heldBytes = 0
      archiveBytes += chunk.byteLength
      return chunk
    }
    /** Where the next record starts: everything handed on or held. */
    const position = (): number => archiveBytes + heldBytes
    const write = function* (chunk: Uint8Array): Generator<Uint8Array> {
      if (chunk.byteLength >= JOINED_BELOW_BYTES) {
        if (heldBytes > 0) yield take()
        archiveBytes += chunk.byteLength
        yield chunk
        return
      }
      held.push(chunk)
      heldBytes += chunk.byteLength
      if (heldBytes >= COALESCED_BYTES) yield take()
    }
    const entries: Array<ZipEntryRecord> = []
    let files = 0
    let bytes = 0
    // One at a time, the pool's trip is all cost (measured): every whole-read file on the spot.
    const parallel = options.concurrency ?? PARALLEL_SEGMENTS
    const isPooled = (file: ArtifactFile): boolean =>
      parallel > 1 && file.size >= POOLED_FROM_BYTES && file.size <= SMALL_FILE_BYTES
    const ahead = readAhead(folder.files, isPooled, {
      level,
      parallel,
      readFile: options.readFile
    })
    try {
      for (const [index, file] of folder.files.entries()) {
        const { name, utf8 } = nameBytesOf(file)
        const zip64 = entryNeedsZip64(file.size)
        const offset = position()
        yield* write(localHeader({ name, utf8, mtime: file.mtime, zip64 }))
        const crc = runningCrc()
        let crcValue: number | undefined
        let size = 0
        let compressedSize = 0
        if (file.size <= SMALL_FILE_BYTES && !isPooled(file)) {
          let data: Uint8Array
          try {
            data = readFile(file.path)
          } catch (error) {
            throw readFailed(file, error)
          }
          crc.add(data)
          size = data.byteLength
          bytes += size
          const deflated = deflateRawSync(data, { level, chunkSize: outputChunkBytes(size) })
          compressedSize = deflated.byteLength
          yield* write(deflated)
        } else if (isPooled(file)) {
          const done = await ahead.take(index)
          if (done._tag === "Unreadable") throw readFailed(file, done.error)
          size = done.size
          bytes += size
          compressedSize = done.deflated.byteLength
          yield* write(done.deflated)
          crcValue = done.crc
        } else {
          const onRead = (data: Uint8Array): void => {
            crc.add(data)
            size += data.byteLength
            bytes += data.byteLength
            progress(files, bytes)
          }
          for await (
            const deflated of deflateFile(file, { level, onRead, readFailed, parallel: options.concurrency })
          ) {
            compressedSize += deflated.byteLength
            yield* write(deflated)
          }
        }
        if (!zip64 && (size > MAX_CLASSIC_SIZE || compressedSize > MAX_CLASSIC_SIZE)) throw grew(file)
        const entry: ZipEntryRecord = {
          name,
          utf8,
          mtime: file.mtime,
          mode: file.mode,
          zip64,
          offset,
          crc: crcValue ?? crc.value(),
          compressedSize,
          size
        }
        yield* write(dataDescriptor(entry))
        entries.push(entry)
        files += 1
        progress(files, bytes)
      }
    } finally {
      ahead.stop()
    }
    const directoryOffset = position()
    for (const entry of entries) yield* write(centralEntry(entry))
    yield* write(endRecords({ entries: entries.length, offset: directoryOffset, size: position() - directoryOffset }))
    if (heldBytes > 0) yield take()
  }

  return { chunks: chunks(), failure: () => failure, archiveBytes: () => archiveBytes }
}
