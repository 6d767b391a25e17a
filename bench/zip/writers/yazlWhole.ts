/**
 * yazl fed as the small files want: every entry through `addReadStreamLazy` (yazl asks for the stream only
 * when the entry's turn comes, so one file is open at a time) with the size known; a file up to
 * `WHOLE_MAX_BYTES` is read whole, synchronously, into a one-chunk stream, which spares the `stat`, `open`,
 * `read` and `close` round trips through libuv's thread pool that `addFile` makes for each file.
 */
import { createReadStream, readFileSync } from "node:fs"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { ZipFile } from "yazl"
import type { MakeZip } from "../files.ts"

/** Files up to this size are read whole when their turn comes. */
export const WHOLE_MAX_BYTES = 1024 * 1024

/** The yazl writer with small files read whole. */
export const makeZip: MakeZip = ({ level }) => async (files, out) => {
  const zipfile = new ZipFile()
  for (const file of files) {
    const options = { mtime: file.mtime, mode: file.mode, compressionLevel: level, size: file.size }
    zipfile.addReadStreamLazy(file.name, options, (callback) => {
      try {
        callback(
          null,
          file.size <= WHOLE_MAX_BYTES
            ? Readable.from([readFileSync(file.path)], { objectMode: false })
            : createReadStream(file.path, { highWaterMark: WHOLE_MAX_BYTES })
        )
      } catch (error) {
        callback(error as Error, undefined as unknown as Readable)
      }
    })
  }
  zipfile.end()
  await pipeline(zipfile.outputStream, out)
}
