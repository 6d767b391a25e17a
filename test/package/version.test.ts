/**
 * One version for the whole project, and one set of dependency versions for every
 * runtime: `package.json`, `deno.json`, the lockfile and the `User-Agent` agree, and
 * Deno's import map names exactly the versions npm pinned and installed.
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { USER_AGENT, VERSION } from "../../src/version.ts"

interface PackageJson {
  readonly version: string
  readonly license: string
  readonly exports: Record<string, unknown>
  readonly dependencies: Record<string, string>
  readonly devDependencies: Record<string, string>
}
interface DenoJson {
  readonly version: string
  readonly license: string
  readonly exports: Record<string, string>
  readonly imports: Record<string, string>
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
const pinned: Record<string, string> = { ...pkg.devDependencies, ...pkg.dependencies }

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

  it("the User-Agent names the package and its version", () => {
    expect(USER_AGENT).toBe(`effect-datafold/${pkg.version}`)
  })

  it("deno.json exports the same entry points as package.json", () => {
    expect(deno.exports).toEqual({ ".": "./src/index.ts", "./testing": "./src/testing.ts" })
    expect(Object.keys(pkg.exports).filter((key) => key !== "./package.json")).toEqual(Object.keys(deno.exports))
    expect(deno.license).toBe(pkg.license)
  })
})

describe("one set of dependency versions", () => {
  it("every version in package.json is pinned exactly", () => {
    for (const [name, version] of Object.entries(pinned)) {
      expect(version, name).toMatch(/^\d+\.\d+\.\d+(?:-[\w.]+)?$/)
    }
  })

  it("every runtime dependency is in Deno's import map", () => {
    const mapped = npmImports.map(([, target]) => parseNpmSpecifier(target)[0])
    for (const name of Object.keys(pkg.dependencies)) expect(mapped, name).toContain(name)
  })

  it("each npm: specifier in deno.json names the version package.json pins and node_modules holds", () => {
    expect(npmImports.length).toBeGreaterThan(0)
    for (const [alias, target] of npmImports) {
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
