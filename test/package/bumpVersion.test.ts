/**
 * `npm run version:bump`, run on a copy of this repository's versioned files: afterwards
 * every place agrees on the new version, and bumping to the current version changes no byte.
 */
import { afterEach, describe, expect, it } from "@effect/vitest"
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { bumpVersion, versionedDocs, versionedFiles } from "../../scripts/bumpVersion.ts"

const root = fileURLToPath(new URL("../..", import.meta.url))
const current = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version as string
const copies: Array<string> = []

const copyOfRepository = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "effect-datafold-bump-"))
  copies.push(dir)
  for (const file of versionedFiles(root)) cpSync(join(root, file), join(dir, file), { recursive: true })
  return dir
}

afterEach(() => {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe("version:bump", () => {
  it("is the npm script version:bump", () => {
    expect(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts["version:bump"]).toBe(
      "tsx scripts/bumpVersionCli.ts"
    )
  })

  it("finds the versioned lines where they live: the README and the guides of the GitHub Action and dbt Core CI", () => {
    expect(versionedDocs(root)).toEqual(expect.arrayContaining([
      "README.md",
      "docs/guides/github-action.md",
      "docs/guides/dbt-core-ci.md",
      "docs/guides/api-ci.md",
      "docs/guides/results-and-gates.md"
    ]))
  })

  it("writes the new version in every place, and opens its CHANGELOG section", () => {
    const dir = copyOfRepository()
    bumpVersion(dir, "0.42.0-rc.1", "2031-02-03")
    const json = (file: string) => JSON.parse(readFileSync(join(dir, file), "utf8"))
    const text = (file: string) => readFileSync(join(dir, file), "utf8")
    expect(json("package.json").version).toBe("0.42.0-rc.1")
    expect(json("package-lock.json").version).toBe("0.42.0-rc.1")
    expect(json("package-lock.json").packages[""].version).toBe("0.42.0-rc.1")
    expect(json("deno.json").version).toBe("0.42.0-rc.1")
    expect(json("packages/datafold-ci/package.json").version).toBe("0.42.0-rc.1")
    expect(text("src/core/version.ts")).toContain(`export const VERSION = "0.42.0-rc.1"`)
    // The README and every guide with an install or `uses:` line or a tarball's name: the new
    // version, never the old.
    const old = current.replaceAll(".", "\\.")
    for (const doc of versionedDocs(root)) {
      expect(text(doc), doc).not.toMatch(new RegExp(`effect-datafold@v?${old}\\b`))
      expect(text(doc), doc).not.toMatch(new RegExp(`(?:effect-datafold|datafold-ci)-${old}\\.tgz`))
      expect(text(doc), doc).toMatch(/effect-datafold@v?0\.42\.0-rc\.1\b|datafold-ci-0\.42\.0-rc\.1\.tgz/)
    }
    expect(text("README.md")).toContain("artifacts/effect-datafold-0.42.0-rc.1.tgz")
    expect(text("README.md")).toContain("npm install --no-save ./datafold-ci-0.42.0-rc.1.tgz")
    expect(text("CHANGELOG.md")).toMatch(/^## \[Unreleased\]\n\n## \[0\.42\.0-rc\.1\] - 2031-02-03\n/m)
    // Nothing else in those files named the old version of the package.
    for (const file of ["package.json", "deno.json", "packages/datafold-ci/package.json", "src/core/version.ts"]) {
      expect(text(file), file).not.toContain(`"${current}"`)
    }
  })

  it("bumping to the current version changes no byte (the JSON files keep their format)", () => {
    const dir = copyOfRepository()
    bumpVersion(dir, current, "2031-02-03")
    for (const file of versionedFiles(root)) {
      expect(readFileSync(join(dir, file), "utf8"), file).toBe(readFileSync(join(root, file), "utf8"))
    }
  })

  it("refuses a version that is not one", () => {
    const dir = copyOfRepository()
    expect(() => bumpVersion(dir, "v1", "2031-02-03")).toThrow(/not a version/)
    expect(readFileSync(join(dir, "package.json"), "utf8")).toBe(readFileSync(join(root, "package.json"), "utf8"))
  })
})
