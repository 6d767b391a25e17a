/**
 * The check the local server makes of an uploaded dbt artifacts archive: a ZIP whose
 * central directory can be read, with `manifest.json` at its root. The archive is read
 * with `fflate`'s `unzipSync` and a filter that lists every entry and extracts none, so
 * checking a 150 MB archive reads its directory only and allocates nothing the size of it.
 *
 * @since 0.2.0
 */
import { unzipSync } from "fflate"
import type { DbtArchiveEntry } from "./serverState.ts"

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

const utf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * An entry's name as its writer meant it. fflate reads a name without ZIP's UTF-8 flag one
 * byte per character; Info-ZIP's `zip` (Debian's) sets no flag and writes UTF-8 bytes, so
 * such a name is read again as UTF-8 when its bytes are valid UTF-8.
 */
const nameOf = (name: string): string => {
  const codes = Array.from(name, (char) => char.charCodeAt(0))
  // All ASCII: the same either way; above 255: fflate already read it as UTF-8.
  if (codes.every((code) => code < 0x80) || codes.some((code) => code > 0xff)) return name
  try {
    return utf8.decode(Uint8Array.from(codes))
  } catch {
    return name
  }
}

/**
 * Lists an archive's entries and checks that `manifest.json` is one of them.
 *
 * @since 0.2.0
 * @category checks
 */
export const checkArtifacts = (archive: Uint8Array): ArtifactsCheck => {
  const entries: Array<DbtArchiveEntry> = []
  try {
    unzipSync(archive, {
      filter: (file) => {
        entries.push({ name: nameOf(file.name), size: file.originalSize })
        return false
      }
    })
  } catch {
    // fflate throws on anything whose end-of-central-directory record it cannot find or follow.
    return { _tag: "NotZip" }
  }
  return entries.some((entry) => entry.name === "manifest.json")
    ? { _tag: "Artifacts", entries }
    : { _tag: "NoManifest" }
}
