/**
 * The Effect-major check every built entry runs first (`src/core/effectMajor.ts`, wired in by
 * `scripts/guardEntries.ts`): which entries it knows, and what it says. The check through
 * installed packages, on Node, Bun and Deno, is `test/consumer/wrongMajor.test.ts`.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { EffectMajorMismatchError, majorOf, packageEntries, requireEffectMajor } from "../src/core/effectMajor.ts"

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  readonly exports: Record<string, unknown>
}

const thrown = (subpath: string, installed: string | undefined): unknown => {
  try {
    requireEffectMajor(subpath, installed)
    return undefined
  } catch (error) {
    return error
  }
}

describe("core/effectMajor", () => {
  it("lists every entry package.json exports, each under its own import path", () => {
    expect(Object.keys(packageEntries).sort()).toEqual(
      Object.keys(pkg.exports).filter((subpath) => subpath !== "./package.json").sort()
    )
    for (const [subpath, entry] of Object.entries(packageEntries)) {
      expect(entry.path).toBe(`effect-datafold${subpath.slice(1)}`)
      expect(entry.major).toBe(subpath.startsWith("./effect4") ? 4 : 3)
      if (entry.counterpart !== undefined) {
        const other = Object.values(packageEntries).find((candidate) => candidate.path === entry.counterpart)
        expect(other?.major).toBe(entry.major === 3 ? 4 : 3)
        expect(other?.counterpart).toBe(entry.path)
      }
    }
  })

  it("passes the entry's own major, and an unknown version", () => {
    expect(thrown(".", "3.22.4")).toBeUndefined()
    expect(thrown("./effect4/testing", "4.1.0")).toBeUndefined()
    expect(thrown(".", undefined)).toBeUndefined()
  })

  it("throws an Error naming both majors and the entry to import instead", () => {
    const main = thrown(".", "4.1.0")
    expect(main).toBeInstanceOf(EffectMajorMismatchError)
    expect(main).toBeInstanceOf(Error)
    expect(main).toMatchObject({
      name: "EffectMajorMismatchError",
      entry: "effect-datafold",
      expected: 3,
      installed: "4.1.0",
      message:
        `effect-datafold is for Effect 3; Effect 4.1.0 is installed: import from "effect-datafold/effect4" instead, or install effect@3.`
    })
    expect(thrown("./effect4", "3.22.0")).toMatchObject({
      message:
        `effect-datafold/effect4 is for Effect 4; Effect 3.22.0 is installed: import from "effect-datafold" instead, or install effect@4.`
    })
    expect(thrown("./testing", "4.0.0-beta.3")).toMatchObject({
      message: expect.stringContaining(`import from "effect-datafold/effect4/testing" instead`)
    })
  })

  it("says when an entry has no counterpart, and when the major is neither", () => {
    expect(thrown("./node", "4.1.0")).toMatchObject({
      message:
        `effect-datafold/node is for Effect 3; Effect 4.1.0 is installed, and effect-datafold/node has no Effect 4 counterpart: install effect@3 to use it (on Effect 4, the client is "effect-datafold/effect4").`
    })
    expect(thrown("./effect4", "5.0.0")).toMatchObject({
      message: "effect-datafold/effect4 is for Effect 4; Effect 5.0.0 is installed: install effect@4."
    })
    expect(majorOf("4.1.0")).toBe(4)
    expect(majorOf("next")).toBeUndefined()
  })
})
