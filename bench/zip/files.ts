/**
 * What every ZIP writer in the bench is given: the folder's regular files, listed once, in one order, with
 * their archive names, so that each writer zips exactly the same entries.
 */
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import type { Writable } from "node:stream"

/** One file to put in the archive. */
export interface FileEntry {
  /** Where it is on disk. */
  readonly path: string
  /** Its name in the archive: relative to the folder, `/`-separated. */
  readonly name: string
  readonly size: number
  readonly mtime: Date
  readonly mode: number
}

/** The writer's settings, the same shape for every library. */
export interface ZipSettings {
  /** Deflate level, 1 to 9. */
  readonly level: number
}

/**
 * Zips `files` into `out`, reading each file as a stream, and ends `out`; resolves once `out` has finished.
 * Memory must stay bounded whatever the files' sizes: the writer waits on `out`'s back-pressure.
 */
export type ZipFolder = (files: ReadonlyArray<FileEntry>, out: Writable) => Promise<void>

/** A writer module's one export: the zipper for the settings. */
export type MakeZip = (settings: ZipSettings) => ZipFolder

/** Bytes read from each file at a time, by every writer (Node's default for file streams). */
export const CHUNK_BYTES = 64 * 1024

/**
 * Every regular file under `root`, sorted by archive name (code unit order). Synchronous: on thousands of
 * small files, one thread-pool round trip per `stat` costs ten times the `stat` itself.
 */
export const listFiles = (root: string): Array<FileEntry> => {
  const out: Array<FileEntry> = []
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      const name = `${prefix}${entry.name}`
      if (entry.isDirectory()) walk(path, `${name}/`)
      else if (entry.isFile()) {
        const s = statSync(path)
        out.push({ path, name, size: s.size, mtime: s.mtime, mode: s.mode })
      }
    }
  }
  walk(root, "")
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
