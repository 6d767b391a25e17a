/**
 * fflate's `Zip` container with node:zlib's native deflate, small files done synchronously. A dbt target is
 * mostly thousands of small `.sql` files, and each asynchronous step (every `fs` call, every zlib stream) is a
 * round trip through libuv's thread pool that costs more than deflating such a file: so a file under
 * `SYNC_MAX_BYTES` is read whole with `readFileSync` and deflated with `deflateRawSync`, and only larger files
 * are streamed (in 1 MiB reads) through `createDeflateRaw`. Memory stays bounded by that size.
 */
import { ZipPassThrough } from "fflate"
import { readFileSync } from "node:fs"
import { finished } from "node:stream/promises"
import { deflateRawSync } from "node:zlib"
import type { MakeZip } from "../files.ts"
import { unixAttributes, zipInto } from "./fflate.ts"
import { streamEntry, ZlibDeflateEntry } from "./fflateZlibStream.ts"

/** Files up to this size are read whole and deflated synchronously. */
export const SYNC_MAX_BYTES = 1024 * 1024
/** Reads of the streamed (large) files: fewer round trips than 64 KiB, still small. */
const LARGE_CHUNK_BYTES = 1024 * 1024

/** An entry pushed once, whole, and deflated on the spot. */
class WholeDeflateEntry extends ZipPassThrough {
  constructor(filename: string, private readonly level: number) {
    super(filename)
    this.compression = 8
  }
  protected override process(chunk: Uint8Array<ArrayBuffer>, final: boolean): void {
    this.ondata(null, deflateRawSync(chunk, { level: this.level }) as Uint8Array<ArrayBuffer>, final)
  }
}

/** The fflate container with node:zlib deflate, synchronous for small files. */
export const makeZip: MakeZip = ({ level }) => async (files, out) => {
  const { zip, check } = zipInto(out)
  for (const file of files) {
    if (file.size <= SYNC_MAX_BYTES) {
      const entry = new WholeDeflateEntry(file.name, level)
      Object.assign(entry, unixAttributes(file.mode), { mtime: file.mtime })
      zip.add(entry)
      entry.push(readFileSync(file.path), true)
      await check()
    } else {
      const entry = new ZlibDeflateEntry(file.name, level)
      Object.assign(entry, unixAttributes(file.mode), { mtime: file.mtime })
      zip.add(entry)
      await streamEntry(entry, file.path, LARGE_CHUNK_BYTES, check)
    }
  }
  zip.end()
  await check()
  await finished(out)
}
