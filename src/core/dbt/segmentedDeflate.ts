/**
 * A large file deflated in segments side by side, as pigz does: each segment of
 * {@link SEGMENT_BYTES} is deflated on its own by node:zlib in the thread pool, primed with
 * the 32 KiB before it (so it compresses as one stream would), and ends on a sync flush,
 * so the segments' outputs, in order, then an empty final block, are one deflate stream.
 * A 90 MB manifest then takes every core instead of one; reading stops while
 * {@link PARALLEL_SEGMENTS} segments wait, so memory stays a few MiB whatever the size.
 *
 * @since 0.2.0
 */
import { availableParallelism } from "node:os"
import { open } from "node:fs/promises"
import * as zlib from "node:zlib"
import { fsPath } from "./fsPath.ts"
import type { ArtifactFile } from "./targetFolder.ts"

/** A segment: large enough that priming and flushing cost nothing measurable. */
export const SEGMENT_BYTES = 1024 * 1024

/** Segments read and being deflated at once: the cores, at least two, at most four (the thread pool's size). */
export const PARALLEL_SEGMENTS = Math.max(2, Math.min(4, availableParallelism()))

/** Deflate's window: how much of the previous segment primes the next. */
const WINDOW_BYTES = 32 * 1024

/** An empty final block (fixed codes, end of block at once): what closes the stream. */
const FINAL_BLOCK = new Uint8Array([0x03, 0x00])

/**
 * How a file is deflated.
 *
 * @since 0.2.0
 * @category models
 */
export interface SegmentedDeflateOptions {
  readonly level: number
  /** Adds each segment read to the entry's CRC-32 and size. */
  readonly onRead: (data: Uint8Array) => void
  /** The error a read's failure becomes (it names the file). */
  readonly readFailed: (file: ArtifactFile, error: unknown) => Error
  /**
   * Segments deflated at once, at least 1; default {@link PARALLEL_SEGMENTS}. The output is
   * the same bytes whatever it is: each segment is deflated alone, primed with the bytes
   * before it, never with another segment's output.
   */
  readonly parallel?: number | undefined
}

/**
 * One segment through a deflate stream of its own, in the thread pool: its output as the
 * stream gives it, not joined (a join would copy every byte once more).
 */
const deflateSegment = (data: Uint8Array, window: Uint8Array | undefined, level: number) =>
  new Promise<ReadonlyArray<Uint8Array>>((resolve, reject) => {
    const deflate = zlib.createDeflateRaw({
      level,
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      ...(window === undefined ? {} : { dictionary: window })
    })
    const output: Array<Uint8Array> = []
    deflate.on("data", (chunk: Uint8Array) => output.push(chunk))
    deflate.on("end", () => resolve(output))
    deflate.on("error", reject)
    deflate.end(data)
  })

/**
 * `file`'s bytes as one raw deflate stream, a segment at a time, in order. The file is
 * closed when the stream ends, fails, or its consumer stops early.
 *
 * @since 0.2.0
 * @category constructors
 */
export async function* deflateFile(file: ArtifactFile, options: SegmentedDeflateOptions): AsyncGenerator<Uint8Array> {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(fsPath(file.path), "r")
  } catch (error) {
    throw options.readFailed(file, error)
  }
  const parallel = Math.max(1, options.parallel ?? PARALLEL_SEGMENTS)
  const pending: Array<Promise<ReadonlyArray<Uint8Array>>> = []
  // A ring of buffers, one more than may be in flight: a buffer comes round again only
  // once its segment, and the one it primed, have been deflated (reading waits for that).
  const buffers = Array.from({ length: parallel + 1 }, () => new Uint8Array(SEGMENT_BYTES))
  let segments = 0
  let previous: Uint8Array | undefined
  let ended = false
  try {
    for (;;) {
      while (!ended && pending.length < parallel) {
        const segment = buffers[segments++ % buffers.length]!
        let bytesRead: number
        try {
          ;({ bytesRead } = await handle.read(segment, 0, SEGMENT_BYTES, null))
        } catch (error) {
          throw options.readFailed(file, error)
        }
        if (bytesRead === 0) {
          ended = true
          break
        }
        const data = segment.subarray(0, bytesRead)
        options.onRead(data)
        const window = previous?.subarray(Math.max(0, previous.byteLength - WINDOW_BYTES))
        const deflated = deflateSegment(data, window, options.level)
        // Awaited in turn below; when the consumer stops first, its outcome is nobody's.
        deflated.catch(() => {})
        pending.push(deflated)
        previous = data
      }
      const next = pending.shift()
      if (next === undefined) break
      yield* await next
    }
    yield FINAL_BLOCK
  } finally {
    await handle.close()
  }
}
