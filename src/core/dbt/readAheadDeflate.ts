/**
 * The whole-read files of a folder (up to `SMALL_FILE_BYTES`, not cut into segments) that
 * are large enough to be worth a trip through the thread pool, from {@link POOLED_FROM_BYTES}
 * on: read and deflated ahead of the writer by node:zlib's asynchronous deflate, at most
 * `parallel` at once, while the writer deflates the tiny files between them on the main
 * thread and hands on the files before them. No more than {@link READ_AHEAD_BYTES} of input
 * is read and not yet written, whatever the count of files. Nothing is read but when the
 * writer asks for a file or a deflate ends, and an ended deflate starts the next only within
 * those bounds: a consumer that stops pulling stops the reading once they are met.
 *
 * Why not the tiny files too: node:zlib gives one pool task per deflate call (a stream per
 * file, each flush its own task; there is no call that deflates many independent streams at
 * once), and for a file of a few KiB that round trip costs more CPU than the deflate itself.
 * Measured on a 2-core machine, 20 000 files of ~5 KiB: 2.8 s of user time on the pool
 * instead of 1.7 s on the main thread, and slower overall (docs/guides/performance.md).
 *
 * Nor at a concurrency of 1 (the writer then deflates every whole-read file itself): one
 * deflate at a time in the pool is the main thread waiting for it, plus the trip.
 *
 * Each file is its own raw deflate stream, deflated alone with the writer's level: its
 * bytes are those of a synchronous deflate of it, whatever the parallelism.
 *
 * @since 0.2.0
 */
import { readFileSync } from "node:fs"
import * as zlib from "node:zlib"
import { runningCrc } from "./crc32.ts"
import { fsPath } from "./fsPath.ts"
import type { ArtifactFile } from "./targetFolder.ts"

/** Input read ahead and not yet written, at most (one file over it is still read: the next one). */
export const READ_AHEAD_BYTES = 8 * 1024 * 1024

/** Files from this size on are deflated in the pool; smaller ones on the main thread, where a few KiB cost less. */
export const POOLED_FROM_BYTES = 64 * 1024

/**
 * A file once deflated: its CRC-32, size and deflate stream; or why it could not be read
 * (the writer fails with it when the file's turn comes, so files before it are written).
 *
 * @since 0.2.0
 * @category models
 */
export type DeflatedFile =
  | { readonly _tag: "Deflated"; readonly crc: number; readonly size: number; readonly deflated: Uint8Array }
  | { readonly _tag: "Unreadable"; readonly error: unknown }

/**
 * How the files are read and deflated ahead.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReadAheadDeflateOptions {
  readonly level: number
  /** Files deflated at once, at least 1. */
  readonly parallel: number
  /** Reads a file whole; `readFileSync` unless a test watches the reads. */
  readonly readFile?: ((path: ArtifactFile["path"]) => Uint8Array) | undefined
}

/**
 * The read-ahead over a folder's pooled files.
 *
 * @since 0.2.0
 * @category models
 */
export interface ReadAhead {
  /** File `index` (a pooled one, asked in the folder's order) once deflated. */
  readonly take: (index: number) => Promise<DeflatedFile>
  /** Reads nothing more (the writer ended or failed); deflates under way end unheeded. */
  readonly stop: () => void
}

/**
 * The output buffers of a file's deflate: a quarter of the input, what text's output fits in
 * one pool round trip, at most 64 KiB (an incompressible file takes more trips, each a small
 * cost beside its deflate), so an output waiting its turn keeps no buffer much larger than it.
 */
const outputChunkBytes = (inputBytes: number): number => Math.max(64, Math.min(64 * 1024, inputBytes >>> 2))

const deflateRaw = (data: Uint8Array, level: number): Promise<Uint8Array> =>
  new Promise((resolve, reject) => {
    zlib.deflateRaw(data, { level, chunkSize: outputChunkBytes(data.byteLength) }, (error, result) => {
      if (error === null) resolve(result)
      else reject(error)
    })
  })

interface Slot {
  readonly bytes: number
  readonly result: Promise<DeflatedFile>
}

/**
 * A read-ahead over `files`, for those `isPooled` says are (the writer deflates the others
 * itself: the tiny ones on the spot, the large ones in segments).
 *
 * @since 0.2.0
 * @category constructors
 */
export const readAhead = (
  files: ReadonlyArray<ArtifactFile>,
  isPooled: (file: ArtifactFile) => boolean,
  options: ReadAheadDeflateOptions
): ReadAhead => {
  const readFile = options.readFile ?? ((path: ArtifactFile["path"]) => readFileSync(fsPath(path)))
  const parallel = Math.max(1, options.parallel)
  const slots = new Map<number, Slot>()
  /** The next file not looked at yet. */
  let frontier = 0
  let running = 0
  let aheadBytes = 0
  let stopped = false

  const launch = (index: number): void => {
    const file = files[index]!
    let bytes = file.size
    let result: Promise<DeflatedFile>
    try {
      const data = readFile(file.path)
      bytes = data.byteLength
      const crc = runningCrc()
      crc.add(data)
      running += 1
      result = deflateRaw(data, options.level).then(
        (deflated): DeflatedFile => ({ _tag: "Deflated", crc: crc.value(), size: data.byteLength, deflated }),
        (error: unknown): DeflatedFile => ({ _tag: "Unreadable", error })
      )
      void result.then(() => {
        running -= 1
        fill()
      })
    } catch (error) {
      result = Promise.resolve({ _tag: "Unreadable", error })
    }
    aheadBytes += bytes
    slots.set(index, { bytes, result })
  }

  /** Starts deflates while the bounds allow, and `needed`'s whatever they say. */
  const fill = (needed?: number): void => {
    while (!stopped && frontier < files.length) {
      const within = running < parallel && aheadBytes < READ_AHEAD_BYTES
      if (!within && (needed === undefined || slots.has(needed))) return
      const index = frontier++
      if (isPooled(files[index]!)) launch(index)
    }
  }

  return {
    take: async (index) => {
      fill(index)
      const slot = slots.get(index)
      if (slot === undefined) return { _tag: "Unreadable", error: new Error(`file ${index} is not read ahead`) }
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
