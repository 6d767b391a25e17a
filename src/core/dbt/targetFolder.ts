/**
 * A dbt target folder as it will be uploaded: every file under it, found before anything
 * is sent, so a folder that cannot be uploaded (missing, not a folder, no `manifest.json`,
 * a file that cannot be read) is refused with a problem naming it. Symbolic links are
 * followed only while they stay inside the folder; one that leads outside (or nowhere)
 * is left out and reported, so an upload never carries a file from elsewhere on the
 * machine. Plain TypeScript over `node:fs`, shared by both Effect majors.
 *
 * @since 0.2.0
 */
import { closeSync, lstatSync, openSync, readdirSync, realpathSync, type Stats, statSync } from "node:fs"
import { isAbsolute, resolve, sep } from "node:path"
import { displayName, isUtf8 } from "./entryName.ts"

/**
 * A path as the file system gives it: text, or its bytes when they are not UTF-8.
 *
 * @since 0.3.0
 * @category models
 */
export type FilePath = string | Uint8Array

/**
 * One file of the folder.
 *
 * @since 0.2.0
 * @category models
 */
export interface ArtifactFile {
  /**
   * Its path inside the folder, with `/` separators, as text: its name in messages, and in
   * the archive unless {@link ArtifactFile.nameBytes} says otherwise (a byte that is not
   * part of a UTF-8 character shows as `\xHH`).
   */
  readonly name: string
  /** Its name in the archive: the bytes the file system holds (when absent, `name` in UTF-8). */
  readonly nameBytes?: Uint8Array | undefined
  /**
   * Where its bytes are read from (a link's target, for a link inside the folder); bytes
   * (a `Buffer` at run time, typed as `Uint8Array` so that the declarations need no Node
   * types) for a name not UTF-8: open it with `fsPath`.
   */
  readonly path: FilePath
  readonly size: number
  readonly mtime: Date
  /** The Unix permission bits. */
  readonly mode: number
}

/**
 * Why an entry of the folder is not uploaded.
 *
 * @since 0.2.0
 * @category models
 */
export type SkipReason = "LinkOutside" | "LinkBroken" | "LinkLoop" | "NotAFile"

/**
 * An entry left out of the upload.
 *
 * @since 0.2.0
 * @category models
 */
export interface SkippedEntry {
  /** Its path inside the folder, with `/` separators. */
  readonly name: string
  readonly reason: SkipReason
}

/**
 * Why a folder cannot be uploaded.
 *
 * @since 0.2.0
 * @category models
 */
export type FolderProblemReason = "FolderNotFound" | "NotAFolder" | "NoManifest" | "Unreadable" | "TooLarge"

/**
 * A folder that cannot be uploaded, or a file of it that could not be read.
 *
 * @since 0.2.0
 * @category models
 */
export interface FolderProblem {
  readonly reason: FolderProblemReason
  /** The folder as given. */
  readonly targetFolder: string
  /** The entry at fault, inside the folder (`/` separators), when it is one entry. */
  readonly path?: string | undefined
  /** The system's own words (`ENOENT`, `EACCES` …), key-free. */
  readonly detail: string
}

/**
 * The files to upload.
 *
 * @since 0.2.0
 * @category models
 */
export interface TargetFolder {
  /** The folder as given (`./target/`), for messages. */
  readonly targetFolder: string
  /** Its absolute, real path. */
  readonly root: string
  /** In archive order: sorted by name. */
  readonly files: ReadonlyArray<ArtifactFile>
  readonly skipped: ReadonlyArray<SkippedEntry>
  /** The files whose names are not UTF-8, by {@link ArtifactFile.name}: uploaded under their bytes, with a warning. */
  readonly notUtf8: ReadonlyArray<string>
  /** The files' sizes, summed. */
  readonly bytes: number
}

/**
 * The file a target folder must hold at its root.
 *
 * @since 0.2.0
 * @category constants
 */
export const MANIFEST_FILE = "manifest.json"

/**
 * The error code of a system error (`ENOENT`, `EACCES` …), else its message: never the
 * absolute path Node appends to the message.
 *
 * @since 0.2.0
 * @category messages
 */
export const systemWords = (error: unknown): string => {
  const code = (error as { readonly code?: unknown }).code
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error)
}

const SEP = Buffer.from(sep)
const SLASH = Buffer.from("/")

/** `dir` and `entry` as one path, in bytes. */
const joinBytes = (dir: Buffer, entry: Buffer, separator: Buffer = SEP): Buffer =>
  dir.byteLength === 0 ? entry : Buffer.concat([dir, separator, entry])

const isInside = (root: Buffer, path: Buffer): boolean =>
  path.equals(root) ||
  (path.byteLength > root.byteLength && path.subarray(0, root.byteLength).equals(root) &&
    path.subarray(root.byteLength, root.byteLength + SEP.byteLength).equals(SEP))

/** The outcome of a walk: the folder, or the first problem met. */
export type FolderWalk =
  | { readonly ok: true; readonly folder: TargetFolder }
  | { readonly ok: false; readonly problem: FolderProblem }

/** One entry of a folder: its name's bytes, and what kind of entry it is. */
interface FolderEntry {
  readonly name: Buffer
  readonly isDirectory: () => boolean
  readonly isFile: () => boolean
  readonly isSymbolicLink: () => boolean
}

/**
 * A folder's entries, names as bytes. Bun 1.4 answers `withFileTypes` with `encoding:
 * "buffer"` with entries that have no name; there the names are read on their own and
 * each entry's kind comes from `lstat` (one call more per entry).
 */
const readEntries = (dir: Buffer): ReadonlyArray<FolderEntry> => {
  const typed = readdirSync(dir, { withFileTypes: true, encoding: "buffer" })
  if (typed.every((entry) => Buffer.isBuffer(entry.name))) return typed
  return readdirSync(dir, { encoding: "buffer" }).map((name) => {
    const stats = lstatSync(joinBytes(dir, name))
    return {
      name,
      isDirectory: () => stats.isDirectory(),
      isFile: () => stats.isFile(),
      isSymbolicLink: () => stats.isSymbolicLink()
    }
  })
}

/**
 * Every file of `targetFolder` (relative paths against `cwd`), checked readable (opened
 * and closed, which needs no more permission than reading it: Deno's `access` asks for
 * system access). Nothing is read but the directory listings and each file's metadata.
 * The calls are synchronous: on thousands of small files, a thread-pool round trip per
 * call costs many times the call itself.
 *
 * @since 0.2.0
 * @category constructors
 */
export const readTargetFolder = (targetFolder: string, cwd: string): FolderWalk => {
  const problem = (reason: FolderProblemReason, detail: string, path?: string): FolderWalk => ({
    ok: false,
    problem: { reason, targetFolder, path, detail }
  })
  const given = isAbsolute(targetFolder) ? targetFolder : resolve(cwd, targetFolder)
  let rootStats: Stats
  try {
    rootStats = statSync(given)
  } catch (error) {
    const code = systemWords(error)
    return code === "ENOENT" || code === "ENOTDIR" ? problem("FolderNotFound", code) : problem("Unreadable", code)
  }
  if (!rootStats.isDirectory()) return problem("NotAFolder", "it is a file")
  const root = realpathSync(given)
  const rootBytes = realpathSync(given, { encoding: "buffer" })

  const files: Array<ArtifactFile> = []
  const skipped: Array<SkippedEntry> = []
  const notUtf8: Array<string> = []

  const addFile = (nameBytes: Buffer, path: Buffer, stats: Stats): FolderProblem | undefined => {
    const name = displayName(nameBytes)
    try {
      closeSync(openSync(path, "r"))
    } catch (error) {
      return { reason: "Unreadable", targetFolder, path: name, detail: systemWords(error) }
    }
    const utf8 = isUtf8(nameBytes)
    if (!utf8) notUtf8.push(name)
    files.push({
      name,
      nameBytes: new Uint8Array(nameBytes),
      path: utf8 ? path.toString("utf8") : path,
      size: stats.size,
      mtime: stats.mtime,
      mode: stats.mode & 0o777
    })
    return undefined
  }

  /** An entry's metadata; a file gone or barred since the listing is a problem. */
  const statOf = (path: Buffer, name: Buffer): Stats | FolderProblem => {
    try {
      return statSync(path)
    } catch (error) {
      return { reason: "Unreadable", targetFolder, path: displayName(name), detail: systemWords(error) }
    }
  }

  // Paths and names are bytes, as the file system holds them: a name that is not UTF-8 is
  // still a file. `dir` is where entries are read from (a real path); `nameDir` where they
  // appear in the archive, `/`-separated (differs under a link to a folder inside the
  // root); `ancestors` the real folders above (as latin1 keys, one per byte), so a link
  // back up the tree is not followed round.
  const walk = (
    dir: Buffer,
    nameDir: Buffer,
    ancestors: ReadonlySet<string>
  ): FolderProblem | undefined => {
    let entries: ReadonlyArray<FolderEntry>
    try {
      entries = readEntries(dir)
    } catch (error) {
      return {
        reason: "Unreadable",
        targetFolder,
        path: nameDir.byteLength === 0 ? "." : displayName(nameDir),
        detail: systemWords(error)
      }
    }
    for (const entry of entries) {
      const path = joinBytes(dir, entry.name)
      const name = joinBytes(nameDir, entry.name, SLASH)
      if (entry.isDirectory()) {
        const failed = walk(path, name, new Set([...ancestors, path.toString("latin1")]))
        if (failed !== undefined) return failed
      } else if (entry.isFile()) {
        const stats = statOf(path, name)
        if (!("isFile" in stats)) return stats
        const failed = addFile(name, path, stats)
        if (failed !== undefined) return failed
      } else if (entry.isSymbolicLink()) {
        let target: Buffer
        try {
          target = realpathSync(path, { encoding: "buffer" })
        } catch {
          skipped.push({ name: displayName(name), reason: "LinkBroken" })
          continue
        }
        if (!isInside(rootBytes, target)) {
          skipped.push({ name: displayName(name), reason: "LinkOutside" })
          continue
        }
        const stats = statOf(target, name)
        if (!("isFile" in stats)) return stats
        if (stats.isDirectory()) {
          if (ancestors.has(target.toString("latin1"))) {
            skipped.push({ name: displayName(name), reason: "LinkLoop" })
            continue
          }
          const failed = walk(target, name, new Set([...ancestors, target.toString("latin1")]))
          if (failed !== undefined) return failed
        } else if (stats.isFile()) {
          const failed = addFile(name, target, stats)
          if (failed !== undefined) return failed
        } else {
          skipped.push({ name: displayName(name), reason: "NotAFile" })
        }
      } else {
        // A socket, a pipe, a device: nothing a dbt run writes, and reading one could block.
        skipped.push({ name: displayName(name), reason: "NotAFile" })
      }
    }
    return undefined
  }

  const failed = walk(rootBytes, Buffer.alloc(0), new Set([rootBytes.toString("latin1")]))
  if (failed !== undefined) return { ok: false, problem: failed }
  if (!files.some((file) => file.name === MANIFEST_FILE)) return problem("NoManifest", `no ${MANIFEST_FILE}`)
  // By name, then by bytes: two names that read alike (`\xFF` escaped, or typed) stay in one order.
  files.sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : Buffer.compare(Buffer.from(a.nameBytes!), Buffer.from(b.nameBytes!))
  )
  skipped.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return {
    ok: true,
    folder: {
      targetFolder,
      root,
      files,
      skipped,
      notUtf8: notUtf8.sort(),
      bytes: files.reduce((sum, file) => sum + file.size, 0)
    }
  }
}
