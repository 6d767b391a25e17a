/**
 * The small files of a folder (those not cut into segments) read and deflated ahead of the
 * writer, in the thread pool, while the writer hands on the files before them. Files are
 * taken in batches of about {@link BATCH_BYTES}, so a folder of thousands of tiny files
 * costs one job (one read pass, one chain of deflates) per batch, not one per file; at most
 * `parallel` batches deflate at once, and no more than {@link READ_AHEAD_BYTES} of input is
 * read and not yet written, whatever the count of files. Nothing is read but when the
 * writer asks for a file or a deflate ends, and each ended deflate starts the next only
 * within those bounds: a consumer that stops pulling stops the reading once they are met.
 *
 * Each file is its own raw deflate stream, deflated alone with the writer's level: its
 * bytes are those of a synchronous deflate of it, whatever the batches or the parallelism.
 *
 * @since 0.2.0
 */
import { readFileSync } from "node:fs"
import * as zlib from "node:zlib"
import { runningCrc } from "./crc32.ts"
import type { ArtifactFile } from "./targetFolder.ts"

/** Input read ahead and not yet written, at most (one file over it is still read: the next one). */
export const READ_AHEAD_BYTES = 8 * 1024 * 1024

/** A batch: files are taken into one job until their bytes reach this. */
export const BATCH_BYTES = 64 * 1024

/**
 * A small file once deflated: its CRC-32, size and deflate stream; or why it could not be
 * read (the writer fails with it when the file's turn comes, so files before it are written).
 *
 * @since 0.2.0
 * @category models
 */
export type DeflatedSmallFile =
  | { readonly _tag: "Deflated"; readonly crc: number; readonly size: number; readonly deflated: Uint8Array }
  | { readonly _tag: "Unreadable"; readonly error: unknown }

/**
 * How the small files are read and deflated.
 *
 * @since 0.2.0
 * @category models
 */
export interface SmallFileDeflateOptions {
  readonly level: number
  /** Batches deflated at once, at least 1. */
  readonly parallel: number
  /** Reads a file whole; `readFileSync` unless a test watches the reads. */
  readonly readFile?: ((path: ArtifactFile["path"]) => Uint8Array) | undefined
}

/**
 * The read-ahead over a folder's small files.
 *
 * @since 0.2.0
 * @category models
 */
export interface SmallFileReadAhead {
  /** File `index` (a small one, asked in the folder's order) once deflated. */
  readonly take: (index: number) => Promise<DeflatedSmallFile>
  /** Reads nothing more (the writer ended or failed); deflates under way end unheeded. */
  readonly stop: () => void
}

/** The output buffer for a file's deflate: what text's output fits in one pool round trip. */
const outputChunkBytes = (inputBytes: number): number => Math.max(64, Math.min(1024 * 1024, inputBytes >>> 1))

const deflateRaw = (data: Uint8Array, level: number): Promise<Uint8Array> =>
  new Promise((resolve, reject) => {
    zlib.deflateRaw(data, { level, chunkSize: outputChunkBytes(data.byteLength) }, (error, result) => {
      if (error === null) resolve(result)
      else reject(error)
    })
  })

interface Slot {
  readonly bytes: number
  readonly result: Promise<DeflatedSmallFile>
}

/**
 * A read-ahead over `files`, for those `isSmall` says are (the others are skipped: the
 * writer deflates them itself, in segments).
 *
 * @since 0.2.0
 * @category constructors
 */
export const smallFileReadAhead = (
  files: ReadonlyArray<ArtifactFile>,
  isSmall: (file: ArtifactFile) => boolean,
  options: SmallFileDeflateOptions
): SmallFileReadAhead => {
  const readFile = options.readFile ?? readFileSync
  const parallel = Math.max(1, options.parallel)
  const slots = new Map<number, Slot>()
  /** The next file no job has taken yet. */
  let frontier = 0
  let running = 0
  let aheadBytes = 0
  let stopped = false

  const nextBatch = (): Array<number> => {
    const batch: Array<number> = []
    let bytes = 0
    while (frontier < files.length && bytes < BATCH_BYTES) {
      const index = frontier++
      const file = files[index]!
      if (!isSmall(file)) continue
      batch.push(index)
      bytes += file.size
    }
    return batch
  }

  const launch = (batch: ReadonlyArray<number>): void => {
    running += 1
    // Read now, all of the batch (cheap: a small file's read is a copy from the page cache),
    // then deflated one after the other in the pool, each settling its own slot.
    let chain: Promise<unknown> = Promise.resolve()
    for (const index of batch) {
      const file = files[index]!
      let result: Promise<DeflatedSmallFile>
      let bytes = file.size
      try {
        const data = readFile(file.path)
        bytes = data.byteLength
        const crc = runningCrc()
        crc.add(data)
        result = chain.then(() => deflateRaw(data, options.level)).then(
          (deflated): DeflatedSmallFile => ({ _tag: "Deflated", crc: crc.value(), size: data.byteLength, deflated }),
          (error: unknown): DeflatedSmallFile => ({ _tag: "Unreadable", error })
        )
      } catch (error) {
        result = Promise.resolve({ _tag: "Unreadable", error })
      }
      aheadBytes += bytes
      slots.set(index, { bytes, result })
      chain = result
    }
    void chain.then(() => {
      running -= 1
      fill()
    })
  }

  /** Starts batches while the bounds allow, or one at least when `needed` has none. */
  const fill = (needed?: number): void => {
    while (!stopped && frontier < files.length) {
      const within = running < parallel && aheadBytes < READ_AHEAD_BYTES
      if (!within && !(needed !== undefined && !slots.has(needed))) return
      const batch = nextBatch()
      if (batch.length > 0) launch(batch)
    }
  }

  return {
    take: async (index) => {
      fill(index)
      const slot = slots.get(index)
      if (slot === undefined) return { _tag: "Unreadable", error: new Error(`file ${index} is not a small one`) }
      const result = await slot.result
      slots.delete(index)
      aheadBytes -= slot.bytes
      fill()
      return result
    },
    stop: () => {
      stopped = true
      slots.clear()
    }
  }
}
