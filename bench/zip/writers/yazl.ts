/**
 * yazl: `addFile` for every file up front (yazl stats them and opens each only when its turn comes), deflate
 * by node:zlib, the archive read from `outputStream`, a Node stream piped into the sink.
 */
import { pipeline } from "node:stream/promises"
import { ZipFile } from "yazl"
import type { MakeZip } from "../files.ts"

/** The yazl writer. */
export const makeZip: MakeZip = ({ level }) => async (files, out) => {
  const zipfile = new ZipFile()
  for (const file of files) {
    zipfile.addFile(file.path, file.name, { mtime: file.mtime, mode: file.mode, compressionLevel: level })
  }
  zipfile.end()
  await pipeline(zipfile.outputStream, out)
}
