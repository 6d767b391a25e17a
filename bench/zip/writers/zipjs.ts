/**
 * zip.js (`@zip.js/zip.js`): a `ZipWriter` over the web stream of the sink; each file added as a web
 * `ReadableStream` with its size (an entry of unknown size gets Zip64 fields). At level 6 it deflates with
 * the runtime's `CompressionStream` (native zlib on Node, Deno and Bun); other levels use its embedded code.
 */
import { ZipWriter } from "@zip.js/zip.js"
import { createReadStream } from "node:fs"
import { Readable, Writable } from "node:stream"
import { finished } from "node:stream/promises"
import { CHUNK_BYTES, type MakeZip } from "../files.ts"

/** The zip.js writer. */
export const makeZip: MakeZip = ({ level }) => async (files, out) => {
  // No web workers: none on Node; on Deno and Bun they would make the runs differ.
  const writer = new ZipWriter(Writable.toWeb(out), { level, useWebWorkers: false, keepOrder: true })
  for (const file of files) {
    const stream = Readable.toWeb(createReadStream(file.path, { highWaterMark: CHUNK_BYTES })) as ReadableStream
    await writer.add(file.name, stream, { lastModDate: file.mtime, uncompressedSize: file.size, unixMode: file.mode })
  }
  await writer.close()
  await finished(out)
}
