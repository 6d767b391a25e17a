/**
 * One version everywhere it is written: `bumpVersion(dir, version)` sets it in
 * package.json, package-lock.json, deno.json, src/version.ts, the datafold-ci package,
 * the README's versioned install and `uses:` lines, and opens a CHANGELOG section for it.
 * `npm run version:bump -- 0.2.0` runs it on this repository.
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs"
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

/** The files `bumpVersion` writes, relative to the repository root. */
export const versionedFiles: ReadonlyArray<string> = [
  "package.json",
  "package-lock.json",
  "deno.json",
  "src/version.ts",
  "packages/datafold-ci/package.json",
  "README.md",
  "CHANGELOG.md"
]

/**
 * Sets `version` in every file of `versionedFiles` under `dir`; `date` (YYYY-MM-DD) heads
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
    join(dir, "src", "version.ts"),
    (text) => text.replace(/export const VERSION = "[^"]*"/, `export const VERSION = "${version}"`)
  )
  if (previous !== version) {
    editText(join(dir, "README.md"), (text) =>
      text
        .replace(new RegExp(`(effect-datafold)@${escapeRegExp(previous)}\\b`, "g"), `$1@${version}`)
        .replace(new RegExp(`(effect-datafold)@v${escapeRegExp(previous)}\\b`, "g"), `$1@v${version}`))
    editText(
      join(dir, "CHANGELOG.md"),
      (text) => text.replace(/^## \[Unreleased\]\n/m, `## [Unreleased]\n\n## [${version}] - ${date}\n`)
    )
  }
}
