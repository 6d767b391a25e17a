/**
 * One version everywhere it is written: `bumpVersion(dir, version)` sets it in
 * package.json, package-lock.json, deno.json, src/core/version.ts, the datafold-ci package,
 * the versioned install and `uses:` lines of the README and of the guides in `docs/guides/`,
 * and opens a CHANGELOG section for it.
 * `npm run version:bump -- 0.2.0` runs it on this repository.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"

/** A plain semantic version, with an optional pre-release part. */
export const isVersion = (text: string): boolean => /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(text)

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const editJson = (path: string, edit: (json: Record<string, unknown>) => void): void => {
  const json = JSON.parse(readFileSync(path, "utf8"))
  edit(json)
  // npm and deno write these files with two-space indents and a final newline.
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`)
}

const editText = (path: string, edit: (text: string) => string): void => {
  writeFileSync(path, edit(readFileSync(path, "utf8")))
}

/**
 * A line that names a release of the package: `effect-datafold@0.2.0`, `effect-datafold@v0.2.0`,
 * or a tarball `npm run package` packs, `datafold-ci-0.2.0.tgz` (the install before the first release).
 */
const namesARelease = /effect-datafold@v?\d+\.\d+\.\d+|(?:effect-datafold|datafold-ci)-\d+\.\d+\.\d+\S*\.tgz/

/**
 * The Markdown files under `dir` whose install and `uses:` lines name a release: the README,
 * and each guide in `docs/guides/` that has such a line (found, not listed, so a guide that
 * gains one is kept in step without editing this file).
 */
export const versionedDocs = (dir: string): ReadonlyArray<string> => {
  const guides = join(dir, "docs", "guides")
  const named = existsSync(guides)
    ? readdirSync(guides).filter((file) => file.endsWith(".md")).sort().map((file) => `docs/guides/${file}`)
      .filter((file) => namesARelease.test(readFileSync(join(dir, file), "utf8")))
    : []
  return ["README.md", ...named]
}

/** The files `bumpVersion` writes under `dir` (the repository root), relative to it. */
export const versionedFiles = (dir: string): ReadonlyArray<string> => [
  "package.json",
  "package-lock.json",
  "deno.json",
  "src/core/version.ts",
  "packages/datafold-ci/package.json",
  ...versionedDocs(dir),
  "CHANGELOG.md"
]

/**
 * Sets `version` in every file of `versionedFiles(dir)`; `date` (YYYY-MM-DD) heads
 * the new CHANGELOG section, which takes what was under "Unreleased".
 */
export const bumpVersion = (dir: string, version: string, date: string): void => {
  if (!isVersion(version)) throw new Error(`not a version: ${JSON.stringify(version)} (expected e.g. 0.2.0)`)
  const previous = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version as string
  editJson(join(dir, "package.json"), (json) => (json["version"] = version))
  editJson(join(dir, "package-lock.json"), (json) => {
    const packages = json["packages"] as Record<string, Record<string, unknown>>
    json["version"] = version
    packages[""]!["version"] = version
  })
  editJson(join(dir, "deno.json"), (json) => (json["version"] = version))
  editJson(join(dir, "packages", "datafold-ci", "package.json"), (json) => (json["version"] = version))
  editText(
    join(dir, "src", "core", "version.ts"),
    (text) => text.replace(/export const VERSION = "[^"]*"/, `export const VERSION = "${version}"`)
  )
  if (previous !== version) {
    for (const doc of versionedDocs(dir)) {
      editText(join(dir, doc), (text) =>
        text
          .replace(new RegExp(`(effect-datafold)@${escapeRegExp(previous)}\\b`, "g"), `$1@${version}`)
          .replace(new RegExp(`(effect-datafold)@v${escapeRegExp(previous)}\\b`, "g"), `$1@v${version}`)
          .replace(
            new RegExp(`\\b(effect-datafold|datafold-ci)-${escapeRegExp(previous)}\\.tgz`, "g"),
            `$1-${version}.tgz`
          ))
    }
    editText(
      join(dir, "CHANGELOG.md"),
      (text) => text.replace(/^## \[Unreleased\]\n/m, `## [Unreleased]\n\n## [${version}] - ${date}\n`)
    )
  }
}
