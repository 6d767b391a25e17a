/**
 * fflate's `Zip` with deflate in a worker thread for large files. fflate's own `AsyncZipDeflate` starts one
 * worker per entry and offers no back-pressure, so this entry does what it does (a `ZipPassThrough` whose
 * `process` feeds an `AsyncDeflate`) through the public `AsyncDeflate`, whose `queuedSize` and `ondrain`
 * bound what waits in the worker. Files under `WORKER_MIN_BYTES` stay on `ZipDeflate`: a worker costs more
 * to start than such a file takes to compress.
 */
import { AsyncDeflate, ZipDeflate, type ZipInputFile, ZipPassThrough } from "fflate"
import { createReadStream } from "node:fs"
import { finished } from "node:stream/promises"
import { CHUNK_BYTES, type MakeZip } from "../files.ts"
import { unixAttributes, zipInto } from "./fflate.ts"

/** Files from this size on are deflated in a worker. */
export const WORKER_MIN_BYTES = 1024 * 1024
/** Input bytes allowed to wait in the worker's queue. */
const MAX_QUEUED_BYTES = 4 * CHUNK_BYTES

class WorkerDeflateEntry extends ZipPassThrough {
  readonly deflate: AsyncDeflate
  private wake: (() => void) | undefined
  constructor(filename: string, level: number) {
    super(filename)
    this.compression = 8
    this.deflate = new AsyncDeflate({ level: level as 1 })
    this.deflate.ondata = (error, chunk, final) => this.ondata(error, chunk, final)
    this.deflate.ondrain = () => {
      this.wake?.()
      this.wake = undefined
    }
  }
  protected override process(chunk: Uint8Array<ArrayBuffer>, final: boolean): void {
    // AsyncDeflate transfers the chunk's buffer to the worker: give it a copy of its own.
    this.deflate.push(chunk.slice(), final)
  }
  /** Resolves once the worker's queue is short enough for another chunk. */
  readonly room = async (): Promise<void> => {
    while (this.deflate.queuedSize > MAX_QUEUED_BYTES) await new Promise<void>((resolve) => (this.wake = resolve))
  }
}

/** Resolves when the entry has handed the zip its last chunk (call after `zip.add`, which sets `ondata`). */
const lastChunk = (entry: ZipInputFile): Promise<void> =>
  new Promise((resolve) => {
    const ondata = entry.ondata!
    entry.ondata = (error, chunk, final) => {
      ondata(error, chunk, final)
      if (final || error) resolve()
    }
  })

/** The fflate writer with worker-thread deflate for large files. */
export const makeZip: MakeZip = ({ level }) => async (files, out) => {
  const { zip, check } = zipInto(out)
  for (const file of files) {
    const entry = file.size >= WORKER_MIN_BYTES
      ? new WorkerDeflateEntry(file.name, level)
      : new ZipDeflate(file.name, { level: level as 1 })
    Object.assign(entry, unixAttributes(file.mode), { mtime: file.mtime })
    zip.add(entry)
    // The next entry's chunks would wait in fflate's memory until this one's last arrives.
    const done = entry instanceof WorkerDeflateEntry ? lastChunk(entry) : Promise.resolve()
    for await (const chunk of createReadStream(file.path, { highWaterMark: CHUNK_BYTES })) {
      entry.push(chunk as Buffer)
      if (entry instanceof WorkerDeflateEntry) await entry.room()
      await check()
    }
    entry.push(new Uint8Array(0), true)
    await done
    if (entry instanceof WorkerDeflateEntry) entry.deflate.terminate()
    await check()
  }
  zip.end()
  await check()
  await finished(out)
}
