/**
 * A target folder as a deflate ZIP, written as it is read and handed on a chunk at a
 * time, each chunk made only when the consumer (the connection) asks for more, so memory
 * holds about one read whatever the folder's size. The container (local headers, data
 * descriptors, central directory) is fflate's `Zip`; the deflate is node:zlib's, native.
 * Measured (`npm run bench:zip`): 0.95× the time of `zip -r` on a 132 MiB dbt-like
 * target, where fflate's own JavaScript deflate takes 3.8× and yazl 1.7× (README,
 * "dbt artifacts upload").
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
 * fflate writes no ZIP64 records, so a folder past ZIP's own limits (65,535 entries,
 * about 4 GB) is refused before anything is sent ({@link zipLimitProblem}).
 *
 * @since 0.2.0
 */
import { Zip, ZipPassThrough } from "fflate"
import { readFileSync } from "node:fs"
import { deflateRawSync } from "node:zlib"
import { runningCrc } from "./crc32.ts"
import { deflateFile } from "./segmentedDeflate.ts"
import { type ArtifactFile, type FolderProblem, systemWords, type TargetFolder } from "./targetFolder.ts"

/** Files up to this size are read whole and deflated on the spot. */
export const SMALL_FILE_BYTES = 1024 * 1024

/** zlib's default level, as `zip -r` and the SDK's `zipfile` use it. */
const LEVEL = 6

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
 * The most entries a ZIP without ZIP64 records holds.
 *
 * @since 0.2.0
 * @category constants
 */
export const MAX_ZIP_ENTRIES = 65_535

/**
 * The most bytes (before compression) uploaded: below ZIP's 4 GiB offsets with room for
 * the headers, whatever the files compress to.
 *
 * @since 0.2.0
 * @category constants
 */
export const MAX_ZIP_BYTES = 4_000_000_000

/**
 * Why `folder` cannot be written as a ZIP, or `undefined` when it can.
 *
 * @since 0.2.0
 * @category rules
 */
export const zipLimitProblem = (folder: TargetFolder): FolderProblem | undefined =>
  folder.files.length > MAX_ZIP_ENTRIES
    ? {
      reason: "TooLarge",
      targetFolder: folder.targetFolder,
      detail: `${folder.files.length} files, more than the ${MAX_ZIP_ENTRIES} a ZIP without ZIP64 holds`
    }
    : folder.bytes > MAX_ZIP_BYTES
    ? {
      reason: "TooLarge",
      targetFolder: folder.targetFolder,
      detail: `${folder.bytes} bytes, more than the ${MAX_ZIP_BYTES} a ZIP without ZIP64 holds`
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
 * An entry whose data arrives deflated (by node:zlib): fflate writes its headers and, from
 * the CRC-32 and size set before the last chunk, its data descriptor.
 */
class DeflatedEntry extends ZipPassThrough {
  constructor(file: ArtifactFile) {
    super(file.name)
    this.compression = 8
    this.mtime = file.mtime
    // Unix permissions in the high bits (made on Unix: 3), as zip -r writes them, so unzip restores them.
    this.os = 3
    this.attrs = ((0o100000 | file.mode) << 16) >>> 0
  }
}

/**
 * The ZIP of `folder`'s files, in their order. `progress` is called after each read.
 *
 * @since 0.2.0
 * @category constructors
 */
export const zipTargetFolder = (folder: TargetFolder, progress: ZipProgress): ArtifactsZip => {
  let failure: FolderProblem | undefined
  let archiveBytes = 0
  const readFailed = (file: ArtifactFile, error: unknown): Error => {
    failure = { reason: "Unreadable", targetFolder: folder.targetFolder, path: file.name, detail: systemWords(error) }
    return new Error(`reading ${file.name} failed: ${failure.detail}`)
  }

  async function* chunks(): AsyncGenerator<Uint8Array> {
    const out: Array<Uint8Array> = []
    let zipError: Error | undefined
    const zip = new Zip((error, chunk) => {
      if (error !== null) zipError = error
      else out.push(chunk)
    })
    // What the container has written since the last step, handed on before the next read:
    // chunks under JOINED_BELOW_BYTES are held and handed on joined, COALESCED_BYTES at a time.
    let held: Array<Uint8Array> = []
    let heldBytes = 0
    const take = (): Uint8Array => {
      const chunk = held.length === 1 ? held[0]! : joined(held, heldBytes)
      held = []
      heldBytes = 0
      archiveBytes += chunk.byteLength
      return chunk
    }
    const written = function* (last = false): Generator<Uint8Array> {
      if (zipError !== undefined) throw zipError
      for (let chunk = out.shift(); chunk !== undefined; chunk = out.shift()) {
        if (chunk.byteLength >= JOINED_BELOW_BYTES) {
          if (heldBytes > 0) yield take()
          archiveBytes += chunk.byteLength
          yield chunk
          continue
        }
        held.push(chunk)
        heldBytes += chunk.byteLength
        if (heldBytes >= COALESCED_BYTES) yield take()
      }
      if (last && heldBytes > 0) yield take()
    }
    let files = 0
    let bytes = 0
    try {
      for (const file of folder.files) {
        const entry = new DeflatedEntry(file)
        const crc = runningCrc()
        zip.add(entry)
        if (file.size <= SMALL_FILE_BYTES) {
          let data: Uint8Array
          try {
            data = readFileSync(file.path)
          } catch (error) {
            throw readFailed(file, error)
          }
          crc.add(data)
          entry.crc = crc.value()
          entry.size = data.byteLength
          bytes += data.byteLength
          const deflated = deflateRawSync(data, { level: LEVEL, chunkSize: outputChunkBytes(data.byteLength) })
          entry.ondata(null, deflated as Uint8Array<ArrayBuffer>, true)
        } else {
          let size = 0
          const onRead = (data: Uint8Array): void => {
            crc.add(data)
            size += data.byteLength
            bytes += data.byteLength
            progress(files, bytes)
          }
          for await (const deflated of deflateFile(file, { level: LEVEL, onRead, readFailed })) {
            entry.ondata(null, deflated as Uint8Array<ArrayBuffer>, false)
            yield* written()
          }
          entry.crc = crc.value()
          entry.size = size
          entry.ondata(null, new Uint8Array(0), true)
        }
        files += 1
        progress(files, bytes)
        yield* written()
      }
      zip.end()
      yield* written(true)
    } catch (error) {
      zip.terminate()
      throw error
    }
  }

  return { chunks: chunks(), failure: () => failure, archiveBytes: () => archiveBytes }
}
