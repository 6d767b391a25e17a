/**
 * The check the local server makes of an uploaded dbt artifacts archive: a ZIP whose
 * central directory can be read (ZIP64 included), with `manifest.json` at its root. Only
 * the directory and the local headers are read (`zipDirectory.ts`), so checking a 150 MB
 * archive allocates nothing the size of it, and a file past 4 GiB can be checked too.
 *
 * @since 0.2.0
 */
import { displayName } from "../core/dbt/entryName.ts"
import type { DbtArchiveEntry } from "./serverState.ts"
import { bytesSource, readZipDirectory, type ZipSource } from "./zipDirectory.ts"

/**
 * What an archive turned out to be.
 *
 * @since 0.2.0
 * @category models
 */
export type ArtifactsCheck =
  | { readonly _tag: "Artifacts"; readonly entries: ReadonlyArray<DbtArchiveEntry> }
  | { readonly _tag: "NotZip" }
  | { readonly _tag: "NoManifest" }

/**
 * The `detail` of the 400 for a file that is not a ZIP archive.
 *
 * @since 0.2.0
 * @category constants
 */
export const notZipDetail = "The artifacts file is not a valid ZIP archive"

/**
 * The `detail` of the 400 for an archive without `manifest.json` at its root.
 *
 * @since 0.2.0
 * @category constants
 */
export const noManifestDetail = "The artifacts archive has no manifest.json at its root"

/**
 * Lists an archive's entries (ZIP64 included; the directory only, no entry's data) and
 * checks that `manifest.json` is one of them. `archive` is the archive in memory, or any
 * source of its bytes (a file larger than memory holds).
 *
 * @since 0.2.0
 * @category checks
 */
export const checkArtifacts = (archive: Uint8Array | ZipSource): ArtifactsCheck => {
  const directory = readZipDirectory(archive instanceof Uint8Array ? bytesSource(archive) : archive)
  if (directory === undefined) return { _tag: "NotZip" }
  const entries = directory.entries.map((entry): DbtArchiveEntry => ({
    // UTF-8 when the bytes are (flagged or not: Info-ZIP's `zip` writes UTF-8 without the flag), else `\xHH` for the other bytes.
    name: displayName(entry.nameBytes),
    size: entry.size
  }))
  return entries.some((entry) => entry.name === "manifest.json")
    ? { _tag: "Artifacts", entries }
    : { _tag: "NoManifest" }
}
