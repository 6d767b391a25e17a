/**
 * The `effect-datafold` tarball as npm would publish it (packed once per run by the
 * global setup, through `scripts/tarballs.ts`): what it holds, that its declaration maps
 * point at files it ships, and what publint and arethetypeswrong say about it.
 */
import { describe, expect, inject, it } from "@effect/vitest"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { repoBin, root, run, succeed, workspace } from "./support/project.ts"

const tarball = inject("tarballs").library
const files = tarball.files

describe("the effect-datafold tarball", () => {
  it("holds compiled ESM with declarations and maps, the library's sources, README.md, the guides, LICENSE and package.json", () => {
    expect(files).toContain("package.json")
    expect(files).toContain("README.md")
    expect(files).toContain("LICENSE")
    const unexpected = files.filter((file) =>
      !["package.json", "README.md", "LICENSE"].includes(file) &&
      !/^docs\/guides\/[\w-]+\.md$/.test(file) &&
      !/^dist\/.+\.(?:js|d\.ts|d\.ts\.map)$/.test(file) &&
      !/^src\/.+\.ts$/.test(file)
    )
    expect(unexpected).toEqual([])
    expect(files.filter((file) => /(?:^|\/)(?:test|tests|bench|fixtures|examples)\/|\.test\./.test(file))).toEqual([])
  })

  it("ships every guide the README links to, so its links resolve in an installed package", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8")
    const linked = [...new Set([...readme.matchAll(/\]\((docs\/guides\/[\w-]+\.md)(?:#[^)]*)?\)/g)].map((m) => m[1]!))]
    const written = linked.filter((guide) => existsSync(join(root, guide)))
    expect(written.length).toBeGreaterThan(5)
    expect(written.filter((guide) => !files.includes(guide))).toEqual([])
    expect(files.filter((file) => file.startsWith("docs/") && !file.startsWith("docs/guides/"))).toEqual([])
  })

  it("leaves out the Effect 4 tree's workspace package, its node_modules and its test setup", () => {
    expect(files.filter((file) => file.startsWith("src/effect4/") && !/^src\/effect4\/[\w/]+\.ts$/.test(file)))
      .toEqual([])
    expect(files.filter((file) => /^src\/effect4\/(?:node_modules|test)\/|vitest\.config/.test(file))).toEqual([])
    expect(files).toContain("src/effect4/index.ts")
  })

  it("ships no CLI or action code and no bin: the CLI is the datafold-ci package", async () => {
    expect(files.filter((file) => /^(?:src|dist)\/(?:bin|cli|action)\//.test(file))).toEqual([])
    expect(files.filter((file) => file.startsWith("scripts/"))).toEqual([])
    // The checkout's bin (`npx datafold-ci` in a clone) stays out of the packed package.json.
    const checkout = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
    expect(checkout.bin).toEqual({ "datafold-ci": "scripts/datafold-ci.mjs" })
    const packed = JSON.parse(await succeed("tar", ["xzf", tarball.path, "-O", "package/package.json"], root))
    expect(packed.bin).toBeUndefined()
    expect({ ...packed, bin: checkout.bin }).toEqual(checkout)
  })

  it("has a declaration and a declaration map for every library module", () => {
    // An entry's body (`X.impl.js`, loaded by the entry `X.js` after its Effect-major check)
    // is declared by the entry's `X.d.ts`.
    const modules = files.filter((file) => file.endsWith(".js") && !file.endsWith(".impl.js"))
    expect(modules).toContain("dist/index.js")
    expect(modules).toContain("dist/testing.js")
    expect(modules).toContain("dist/effect4/index.js")
    expect(modules).toContain("dist/effect4/testing.js")
    for (const module of modules) {
      const base = module.slice(0, -".js".length)
      expect(files, module).toContain(`${base}.d.ts`)
      expect(files, module).toContain(`${base}.d.ts.map`)
    }
  })

  it("every declaration map points at a source file the tarball ships", async () => {
    const { dir, remove } = workspace()
    try {
      await succeed("tar", ["xzf", tarball.path, "-C", dir], dir)
      const maps = files.filter((file) => file.endsWith(".d.ts.map"))
      expect(maps.length).toBeGreaterThan(10)
      for (const map of maps) {
        const { sources } = JSON.parse(readFileSync(join(dir, "package", map), "utf8")) as {
          readonly sources: ReadonlyArray<string>
        }
        expect(sources.length, map).toBeGreaterThan(0)
        for (const source of sources) {
          const shipped = join(map, "..", source)
          expect(files, `${map} → ${source}`).toContain(shipped)
        }
      }
    } finally {
      remove()
    }
  })

  it("npm publish --dry-run publishes the same files, with nothing for npm to correct", async () => {
    const outcome = await run("npm", ["publish", "--dry-run", "--offline", "--json", tarball.path], root)
    expect(outcome.code, outcome.stderr).toBe(0)
    const published = JSON.parse(outcome.stdout) as Record<string, { readonly files: ReadonlyArray<{ path: string }> }>
    expect(published["effect-datafold"]?.files.map((file) => file.path).sort()).toEqual(files)
    // The one warning a dry run without credentials always gives is not a problem of the package.
    const warnings = outcome.stderr.split("\n").filter((line) =>
      line.startsWith("npm warn") && !line.includes("requires you to be logged in")
    )
    expect(warnings).toEqual([])
  })

  it("publint reports nothing, suggestions included", async () => {
    const outcome = await run(repoBin("publint"), ["run", "--strict", "--level", "suggestion", tarball.path], root)
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
    expect(outcome.stdout).toContain("All good!")
  })

  it("arethetypeswrong finds no problem for an ESM-only package", async () => {
    // esm-only: Node 10 resolution (no `exports`) and require() from CommonJS are out of scope.
    const outcome = await run(repoBin("attw"), ["--profile", "esm-only", "--format", "table", tarball.path], root)
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  })
})
