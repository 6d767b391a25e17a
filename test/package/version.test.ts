/**
 * One version for the whole project, and one set of dependency versions for every
 * runtime: `package.json`, `deno.json`, the lockfile, the `datafold-ci` package and the
 * `User-Agent` agree. Effect and `@effect/platform` are peers with caret ranges that
 * hold this repository's exact dev pins (`effect` has one range per major: the Effect 3
 * tree's pin and the Effect 4 tree's, `src/effect4/package.json`); Deno's import map names
 * those same ranges, the Effect 4 one scoped to `src/effect4/` (so a JSR user shares one
 * Effect too), and the exact pins of everything else.
 */
import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { USER_AGENT, VERSION } from "../../src/version.ts"

interface PackageJson {
  readonly version: string
  readonly license: string
  readonly exports: Record<string, unknown>
  readonly dependencies?: Record<string, string>
  readonly peerDependencies: Record<string, string>
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>
  readonly devDependencies: Record<string, string>
}
interface DenoJson {
  readonly version: string
  readonly license: string
  readonly exports: Record<string, string>
  readonly imports: Record<string, string>
  readonly scopes: Record<string, Record<string, string>>
  readonly nodeModulesDir: string
}
interface PackageLock {
  readonly version: string
  readonly packages: Record<string, { readonly version?: string } | undefined>
}

const root = fileURLToPath(new URL("../..", import.meta.url))
const readJson = <A>(path: string): A => JSON.parse(readFileSync(join(root, path), "utf8"))

const pkg = readJson<PackageJson>("package.json")
const deno = readJson<DenoJson>("deno.json")
const lock = readJson<PackageLock>("package-lock.json")
const pinned: Record<string, string> = pkg.devDependencies
const effect4Tree = readJson<{ readonly dependencies: Record<string, string> }>("src/effect4/package.json")

/** A peer range's alternatives: `^3.22.0 || ^4.1.0` → `["^3.22.0", "^4.1.0"]`. */
const alternatives = (range: string): ReadonlyArray<string> => range.split("||").map((part) => part.trim())

/** Where each pin of a peer lives: the root's dev pin, and the Effect 4 tree's own for `effect`. */
const pinsOf = (name: string): ReadonlyArray<readonly [version: string | undefined, lockPath: string]> => [
  [pinned[name], `node_modules/${name}`],
  ...(effect4Tree.dependencies[name] === undefined
    ? []
    : [[effect4Tree.dependencies[name], `src/effect4/node_modules/${name}`] as const])
]

/** `^0.97.0` → `[0, 97, 0]`; undefined when the text is not a caret range on a plain version. */
const caretFloor = (range: string): readonly [number, number, number] | undefined => {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range)
  return match === null ? undefined : [Number(match[1]), Number(match[2]), Number(match[3])]
}

/** npm's caret rule: same major (same minor below 1.0.0), and not below the floor. */
const satisfiesCaret = (version: string, range: string): boolean => {
  const floor = caretFloor(range)
  const parts = /^(\d+)\.(\d+)\.(\d+)$/.exec(version)?.slice(1).map(Number)
  if (floor === undefined || parts === undefined) return false
  const [major, minor, patch] = parts as [number, number, number]
  if (major !== floor[0] || (floor[0] === 0 && minor !== floor[1])) return false
  return minor > floor[1] || (minor === floor[1] && patch >= floor[2])
}

/** `npm:@effect/platform@0.97.2/HttpClient` → `["@effect/platform", "0.97.2"]` */
const parseNpmSpecifier = (specifier: string): readonly [name: string, version: string] => {
  const match = /^npm:(@[^/@]+\/[^/@]+|[^/@]+)@([^/]+)(?:\/.*)?$/.exec(specifier)
  if (match === null) throw new Error(`not a versioned npm: specifier: ${specifier}`)
  return [match[1]!, match[2]!]
}

const npmImports = Object.entries(deno.imports).filter(([, target]) => target.startsWith("npm:"))

describe("one version", () => {
  it("package.json, package-lock.json, deno.json and VERSION agree", () => {
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+(?:-[\w.]+)?$/)
    expect(deno.version).toBe(pkg.version)
    expect(VERSION).toBe(pkg.version)
    expect(lock.version).toBe(pkg.version)
    expect(lock.packages[""]?.version).toBe(pkg.version)
  })

  it("the datafold-ci package has the library's version", () => {
    expect(readJson<{ readonly version: string }>("packages/datafold-ci/package.json").version).toBe(pkg.version)
  })

  it("CHANGELOG's newest release and the versioned lines of the README and the guides name the version", () => {
    const changelog = readFileSync(join(root, "CHANGELOG.md"), "utf8")
    expect(/^## \[(\d[^\]]*)\]/m.exec(changelog)?.[1]).toBe(pkg.version)
    const guides = readdirSync(join(root, "docs", "guides")).filter((file) => file.endsWith(".md"))
    for (const doc of ["README.md", ...guides.map((file) => `docs/guides/${file}`)]) {
      const text = readFileSync(join(root, doc), "utf8")
      const named = [...text.matchAll(/effect-datafold@v?(\d+\.\d+\.\d+[\w.-]*)/g)].map((match) => match[1])
      expect(named.filter((version) => version !== pkg.version), doc).toEqual([])
      if (doc === "README.md" || doc === "docs/guides/github-action.md") expect(named.length, doc).toBeGreaterThan(0)
    }
  })

  it("the User-Agent names the package and its version", () => {
    expect(USER_AGENT).toBe(`effect-datafold/${pkg.version}`)
  })

  it("deno.json exports the same entry points as package.json", () => {
    expect(deno.exports).toEqual({
      ".": "./src/index.ts",
      "./api": "./src/api.ts",
      "./testing": "./src/testing.ts",
      "./node": "./src/node.ts",
      "./effect4": "./src/effect4/index.ts",
      "./effect4/testing": "./src/effect4/testing.ts"
    })
    expect(Object.keys(pkg.exports).filter((key) => key !== "./package.json")).toEqual(Object.keys(deno.exports))
    expect(deno.license).toBe(pkg.license)
  })
})

describe("one set of dependency versions", () => {
  it("the caret check itself follows npm's rule", () => {
    expect(satisfiesCaret("3.22.4", "^3.22.0")).toBe(true)
    expect(satisfiesCaret("3.30.0", "^3.22.0")).toBe(true)
    expect(satisfiesCaret("3.21.9", "^3.22.0")).toBe(false)
    expect(satisfiesCaret("4.0.0", "^3.22.0")).toBe(false)
    expect(satisfiesCaret("0.97.2", "^0.97.0")).toBe(true)
    expect(satisfiesCaret("0.98.0", "^0.97.0")).toBe(false)
    expect(satisfiesCaret("0.96.9", "^0.97.0")).toBe(false)
  })

  it("effect and @effect/platform are peers, undici an optional one; the only dependencies are the ZIP and multipart writers, which depend on nothing", () => {
    expect(Object.keys(pkg.dependencies ?? {}).sort()).toEqual(["fflate", "form-data-encoder"])
    for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
      expect(range, name).toMatch(/^\^\d+\.\d+\.\d+$/)
      expect(satisfiesCaret(lock.packages[`node_modules/${name}`]?.version ?? "", range), name).toBe(true)
      expect(deno.imports[name], name).toBe(`npm:${name}@${range}`)
      const installed = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"))
      expect(installed.dependencies ?? {}, name).toEqual({})
    }
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(["@effect/platform", "effect", "undici"])
    expect(pkg.peerDependenciesMeta?.["undici"]).toEqual({ optional: true })
  })

  it("effect covers Effect 3 and Effect 4; @effect/platform is optional, as only the Effect 3 entry needs it", () => {
    expect(alternatives(pkg.peerDependencies["effect"]!).map((range) => caretFloor(range)?.[0])).toEqual([3, 4])
    expect(pkg.peerDependenciesMeta?.["@effect/platform"]).toEqual({ optional: true })
    expect(pkg.peerDependenciesMeta?.["effect"]).toBeUndefined()
  })

  it("each peer range is carets, each holding an exact version this repository develops against", () => {
    for (const [name, range] of Object.entries(pkg.peerDependencies)) {
      const pins = pinsOf(name)
      expect(alternatives(range).length, name).toBe(pins.length)
      alternatives(range).forEach((alternative, index) => {
        const [version, lockPath] = pins[index]!
        expect(caretFloor(alternative), `${name}: ${alternative}`).toBeDefined()
        expect(version, `${name} (${lockPath})`).toBeDefined()
        expect(satisfiesCaret(version!, alternative), `${name} ${version} in ${alternative}`).toBe(true)
        expect(lock.packages[lockPath]?.version, lockPath).toBe(version)
      })
    }
  })

  it("every devDependency is pinned exactly", () => {
    for (const [name, version] of Object.entries(pinned)) {
      expect(version, name).toMatch(/^(?:npm:[\w@/.-]+@)?\d+\.\d+\.\d+(?:-[\w.]+)?$/)
    }
  })

  it("every peer is in Deno's import map, with the same range; effect's Effect 4 range is scoped to src/effect4/", () => {
    for (const [name, range] of Object.entries(pkg.peerDependencies)) {
      expect(deno.imports[name], name).toBe(`npm:${name}@${alternatives(range)[0]}`)
    }
    const effect4 = alternatives(pkg.peerDependencies["effect"]!)[1]
    expect(deno.scopes).toEqual({
      "./src/effect4/": { "effect": `npm:effect@${effect4}`, "effect/": `npm:/effect@${effect4}/` }
    })
  })

  it("every other npm: specifier in deno.json names the version package.json pins and node_modules holds", () => {
    const others = npmImports.filter(([alias]) =>
      pkg.peerDependencies[alias] === undefined && pkg.dependencies?.[alias] === undefined
    )
    expect(others.length).toBeGreaterThan(0)
    for (const [alias, target] of others) {
      const [name, version] = parseNpmSpecifier(target)
      expect(alias, target).toBe(name)
      expect(version, name).toBe(pinned[name])
      expect(lock.packages[`node_modules/${name}`]?.version, name).toBe(version)
    }
  })

  it("Deno reads node_modules and needs no network", () => {
    expect(deno.nodeModulesDir).toBe("manual")
  })
})
