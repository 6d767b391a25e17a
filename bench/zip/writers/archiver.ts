/**
 * archiver (zip-stream and compress-commons under it): `file` for every file, deflate by node:zlib, the
 * archive itself a Node transform stream piped into the sink.
 */
import { ZipArchive } from "archiver"
import { pipeline } from "node:stream/promises"
import type { MakeZip } from "../files.ts"

/** The archiver writer. */
export const makeZip: MakeZip = ({ level }) => async (files, out) => {
  const archive = new ZipArchive({ zlib: { level } })
  // A warning is a file it could not stat or read: an archive without it would be wrong, so it fails the run.
  archive.on("warning", (error) => archive.destroy(error))
  const piped = pipeline(archive, out)
  for (const file of files) archive.file(file.path, { name: file.name, date: file.mtime, mode: file.mode })
  await archive.finalize()
  await piped
}
