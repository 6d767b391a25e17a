/**
 * The program each bench child runs: `<folder> [out.zip]` zips the folder with one writer into a sink that
 * only counts bytes (or into `out.zip`), then prints one JSON line: bytes written, milliseconds, peak RSS.
 * Bundled per writer by esbuild for the timed runs on Node (so each child loads only its own library), and
 * run from source by `zipOne.ts` on Deno and Bun.
 */
import { createWriteStream } from "node:fs"
import { Writable } from "node:stream"
import { listFiles, type MakeZip, type ZipSettings } from "./files.ts"

/** What a child prints. */
export interface ZipRunReport {
  readonly bytes: number
  readonly entries: number
  readonly ms: number
  /** `process.resourceUsage().maxRSS` in bytes, or null where the runtime has none. */
  readonly maxRssBytes: number | null
}

/** A sink that keeps nothing: the bytes it was given, counted. */
export class CountingSink extends Writable {
  bytes = 0
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.bytes += chunk.byteLength
    callback()
  }
  override _writev(chunks: Array<{ chunk: Buffer }>, callback: (error?: Error | null) => void): void {
    for (const { chunk } of chunks) this.bytes += chunk.byteLength
    callback()
  }
}

const maxRss = (): number | null => {
  try {
    return process.resourceUsage().maxRSS * 1024
  } catch {
    return null
  }
}

/** Zip `folder` with the writer into `outPath`, or into a {@link CountingSink} when it is undefined. */
export const zipFolderOnce = async (
  make: MakeZip,
  settings: ZipSettings,
  folder: string,
  outPath: string | undefined
): Promise<ZipRunReport> => {
  const started = performance.now()
  const files = listFiles(folder)
  const zip = make(settings)
  if (outPath === undefined) {
    const sink = new CountingSink()
    await zip(files, sink)
    return { bytes: sink.bytes, entries: files.length, ms: performance.now() - started, maxRssBytes: maxRss() }
  }
  const file = createWriteStream(outPath)
  await zip(files, file)
  return { bytes: file.bytesWritten, entries: files.length, ms: performance.now() - started, maxRssBytes: maxRss() }
}

/** The child's main: `argv` is `[level, folder, out?]`. */
export const runZipCommand = async (make: MakeZip, argv: ReadonlyArray<string>): Promise<void> => {
  const [level, folder, outPath] = argv
  if (level === undefined || folder === undefined) throw new Error("usage: <level> <folder> [out.zip]")
  const report = await zipFolderOnce(make, { level: Number(level) }, folder, outPath)
  process.stdout.write(`${JSON.stringify(report)}\n`)
}
