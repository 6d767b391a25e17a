/**
 * fflate's streaming `Zip` with `ZipDeflate`: pure JavaScript deflate on the main thread. Each file is read
 * in chunks and pushed; `ZipDeflate` compresses synchronously, so waiting on the sink's `drain` between
 * chunks is all the back-pressure there is to do.
 */
import { Zip, ZipDeflate } from "fflate"
import { once } from "node:events"
import { createReadStream } from "node:fs"
import type { Writable } from "node:stream"
import { finished } from "node:stream/promises"
import { CHUNK_BYTES, type MakeZip } from "../files.ts"

/** Unix mode bits in the external attributes, read only when the entry says it was made on Unix (3). */
export const unixAttributes = (mode: number): { readonly os: number; readonly attrs: number } => ({
  os: 3,
  attrs: ((mode & 0xffff) << 16) >>> 0
})

/**
 * A `Zip` writing into `out`, and a check that throws the first error it reported. `writableNeedDrain`,
 * not `write`'s answer, says when to wait: output that arrives between two checks can fill `out` and
 * drain it again before the writer looks.
 */
export const zipInto = (out: Writable): { readonly zip: Zip; readonly check: () => Promise<void> } => {
  let failure: Error | null = null
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error
    else out.write(chunk)
    if (final) out.end()
  })
  const check = async () => {
    if (failure) throw failure
    if (out.writableNeedDrain) await once(out, "drain")
  }
  return { zip, check }
}

/** The fflate `ZipDeflate` writer. */
export const makeZip: MakeZip = ({ level }) => async (files, out) => {
  const { zip, check } = zipInto(out)
  for (const file of files) {
    const entry = new ZipDeflate(file.name, { level: level as 1 })
    Object.assign(entry, unixAttributes(file.mode), { mtime: file.mtime })
    zip.add(entry)
    for await (const chunk of createReadStream(file.path, { highWaterMark: CHUNK_BYTES })) {
      entry.push(chunk as Buffer)
      await check()
    }
    entry.push(new Uint8Array(0), true)
  }
  zip.end()
  await check()
  await finished(out)
}
