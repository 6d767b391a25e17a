/**
 * fflate's `Zip` container with node:zlib's native deflate, every file streamed: each entry is a
 * `ZipPassThrough` (which keeps the CRC and size of what is pushed) whose `process` writes into
 * `createDeflateRaw` and hands its output on.
 */
import { ZipPassThrough } from "fflate"
import { once } from "node:events"
import { createReadStream } from "node:fs"
import { finished } from "node:stream/promises"
import { createDeflateRaw, type DeflateRaw } from "node:zlib"
import { CHUNK_BYTES, type MakeZip } from "../files.ts"
import { unixAttributes, zipInto } from "./fflate.ts"

/** An entry deflated by a node:zlib stream as its chunks are pushed. */
export class ZlibDeflateEntry extends ZipPassThrough {
  readonly deflate: DeflateRaw
  constructor(filename: string, level: number) {
    super(filename)
    this.compression = 8
    this.deflate = createDeflateRaw({ level })
    this.deflate.on("data", (chunk: Buffer) => this.ondata(null, chunk as Uint8Array<ArrayBuffer>, false))
    this.deflate.on("end", () => this.ondata(null, new Uint8Array(0), true))
    this.deflate.on("error", (error) => this.ondata(Object.assign(error, { code: 0 }), new Uint8Array(0), true))
  }
  protected override process(chunk: Uint8Array<ArrayBuffer>, final: boolean): void {
    if (chunk.byteLength > 0) this.deflate.write(chunk)
    if (final) this.deflate.end()
  }
}

/**
 * Stream one file into a {@link ZlibDeflateEntry} already added to the zip, reading `chunkBytes` at a time;
 * resolves once its last chunk has reached the zip.
 */
export const streamEntry = async (
  entry: ZlibDeflateEntry,
  path: string,
  chunkBytes: number,
  check: () => Promise<void>
): Promise<void> => {
  const ended = once(entry.deflate, "end")
  for await (const chunk of createReadStream(path, { highWaterMark: chunkBytes })) {
    entry.push(chunk as Buffer)
    if (entry.deflate.writableNeedDrain) await once(entry.deflate, "drain")
    await check()
  }
  entry.push(new Uint8Array(0), true)
  // Its last chunks come after the last push; the next entry's would wait in fflate's memory meanwhile.
  await ended
  await check()
}

/** The fflate container with node:zlib deflate streams. */
export const makeZip: MakeZip = ({ level }) => async (files, out) => {
  const { zip, check } = zipInto(out)
  for (const file of files) {
    const entry = new ZlibDeflateEntry(file.name, level)
    Object.assign(entry, unixAttributes(file.mode), { mtime: file.mtime })
    zip.add(entry)
    await streamEntry(entry, file.path, CHUNK_BYTES, check)
  }
  zip.end()
  await check()
  await finished(out)
}
