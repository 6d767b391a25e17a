/**
 * The npm package as a user receives it. The sources are copied to a staging directory
 * (so the working tree's `dist/` is never rebuilt under other tests) and packed with
 * `npm pack`, whose `prepack` empties `dist/` and runs `npm run build`. The tarball is
 * checked (contents, publint, arethetypeswrong) and installed offline into a fresh
 * project, where Node imports the package by name, triggers against the local server,
 * runs the `datafold-ci` bin, and `tsc` checks a consumer under NodeNext and Bundler
 * resolution.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { createHash } from "node:crypto"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Redacted } from "effect"
import { startLocalDatafoldServer } from "../../src/testing.ts"

const root = fileURLToPath(new URL("../..", import.meta.url))
const fixtures = join(root, "test", "package", "fixtures")
const bin = (name: string): string => join(root, "node_modules", ".bin", name)

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

const run = (
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  env: Readonly<Record<string, string>> = {}
): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout: 180_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env }
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resolve({ code, stdout, stderr })
      }
    )
  })

const succeed = async (command: string, args: ReadonlyArray<string>, cwd: string): Promise<string> => {
  const outcome = await run(command, args, cwd)
  if (outcome.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`)
  }
  return outcome.stdout
}

interface LockEntry {
  readonly version?: string
  readonly dependencies?: Record<string, string>
  readonly optionalDependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly [key: string]: unknown
}

/**
 * The consumer's lockfile: the tarball plus the exact entries of its dependency closure
 * from this repository's lockfile. With it `npm ci --offline` needs only tarballs, which
 * `npm ci` here already put in the cache (a bare `npm install <tarball>` would need full
 * registry metadata, which the cache does not hold after `npm ci`).
 */
const consumerLock = (tarball: string, integrity: string): object => {
  const repoLock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    readonly packages: Record<string, LockEntry>
  }
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
  const packages: Record<string, LockEntry> = {}
  const parentOf = (location: string): string => {
    const index = location.lastIndexOf("/node_modules/")
    return index === -1 ? "" : location.slice(0, index)
  }
  const visit = (from: string, name: string, optional: boolean): void => {
    for (let base = from;; base = parentOf(base)) {
      const location = `${base === "" ? "" : `${base}/`}node_modules/${name}`
      const entry = repoLock.packages[location]
      if (entry !== undefined) {
        if (packages[location] !== undefined) return
        const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry
        packages[location] = kept
        for (const dependency of Object.keys(entry.dependencies ?? {})) visit(location, dependency, false)
        for (const dependency of Object.keys(entry.peerDependencies ?? {})) visit(location, dependency, false)
        for (const dependency of Object.keys(entry.optionalDependencies ?? {})) visit(location, dependency, true)
        return
      }
      if (base === "") {
        if (optional) return
        throw new Error(`${name} (needed by ${from || "the package"}) is not in package-lock.json`)
      }
    }
  }
  for (const name of Object.keys(pkg.dependencies)) visit("", name, false)
  return {
    name: "consumer",
    version: "0.0.0",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "consumer", version: "0.0.0", dependencies: { "effect-datafold": `file:${tarball}` } },
      "node_modules/effect-datafold": {
        version: pkg.version,
        resolved: `file:${tarball}`,
        integrity,
        license: pkg.license,
        dependencies: pkg.dependencies,
        bin: Object.fromEntries(
          Object.entries(pkg.bin as Record<string, string>).map(([name, path]) => [name, path.replace(/^\.\//, "")])
        ),
        engines: pkg.engines
      },
      ...packages
    }
  }
}

let work: string
let stage: string
let tarballPath: string
let files: ReadonlyArray<string>
let consumer: string

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "effect-datafold-pack-"))
  stage = join(work, "stage")
  mkdirSync(stage)
  for (const entry of ["src", "package.json", "package-lock.json", "tsconfig.json", "README.md", "LICENSE"]) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(stage, entry), { recursive: true })
  }
  symlinkSync(join(root, "node_modules"), join(stage, "node_modules"), "dir")

  // prepack cleans dist/ and runs `npm run build`; its output goes to stderr with --json.
  const packed = JSON.parse(
    await succeed("npm", ["pack", "--json", "--pack-destination", work], stage)
  ) as ReadonlyArray<{ readonly filename: string; readonly files: ReadonlyArray<{ readonly path: string }> }>
  tarballPath = join(work, packed[0]!.filename)
  files = packed[0]!.files.map((file) => file.path).sort()

  consumer = join(work, "consumer")
  mkdirSync(consumer)
  const tarball = `../${packed[0]!.filename}`
  const integrity = `sha512-${createHash("sha512").update(readFileSync(tarballPath)).digest("base64")}`
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify(
      {
        name: "consumer",
        version: "0.0.0",
        private: true,
        type: "module",
        dependencies: { "effect-datafold": `file:${tarball}` }
      },
      null,
      2
    )
  )
  writeFileSync(join(consumer, "package-lock.json"), JSON.stringify(consumerLock(tarball, integrity), null, 2))
  await succeed("npm", ["ci", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], consumer)
}, 300_000)

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true })
})

describe("npm pack", () => {
  it("holds compiled ESM, declarations with maps, README.md, LICENSE and package.json only", () => {
    expect(files).toContain("package.json")
    expect(files).toContain("README.md")
    expect(files).toContain("LICENSE")
    const unexpected = files.filter((file) =>
      !["package.json", "README.md", "LICENSE"].includes(file) && !/^dist\/.+\.(?:js|d\.ts|d\.ts\.map)$/.test(file)
    )
    expect(unexpected).toEqual([])
    expect(files.filter((file) => /(?:^|\/)(?:test|tests|bench|fixtures|examples)\/|\.test\./.test(file))).toEqual([])
  })

  it("has a declaration and a declaration map for every library module", () => {
    const modules = files.filter((file) => file.endsWith(".js") && !file.startsWith("dist/bin/"))
    expect(modules).toContain("dist/index.js")
    expect(modules).toContain("dist/testing.js")
    for (const module of modules) {
      const base = module.slice(0, -".js".length)
      expect(files, module).toContain(`${base}.d.ts`)
      expect(files, module).toContain(`${base}.d.ts.map`)
    }
  })

  it("ships the CLI bundle named in package.json's bin", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
    for (const path of Object.values(pkg.bin as Record<string, string>)) {
      expect(files).toContain(path.replace(/^\.\//, ""))
    }
  })

  it("npm publish --dry-run publishes the same files, with nothing for npm to correct", async () => {
    // --ignore-scripts: the tarball above already went through prepack.
    const outcome = await run("npm", ["publish", "--dry-run", "--offline", "--ignore-scripts", "--json"], stage)
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
    const outcome = await run(bin("publint"), ["run", "--strict", "--level", "suggestion", tarballPath], work)
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
    expect(outcome.stdout).toContain("All good!")
  })

  it("arethetypeswrong finds no problem for an ESM-only package", async () => {
    // esm-only: Node 10 resolution (no `exports`) and require() from CommonJS are out of scope.
    const outcome = await run(bin("attw"), ["--profile", "esm-only", "--format", "table", tarballPath], work)
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  })
})

describe("installed from the tarball in a fresh project", () => {
  it("Node imports effect-datafold and effect-datafold/testing by name and triggers a run", async () => {
    cpSync(join(fixtures, "run-trigger.mjs"), join(consumer, "run-trigger.mjs"))
    const output = JSON.parse(await succeed(process.execPath, ["run-trigger.mjs"], consumer))
    expect(output.ci_run_id).toBe(1)
    expect(output.sentUserAgent).toBe(output.userAgent)
    const installed = `file://${join(consumer, "node_modules")}/`
    expect(output.resolved.main).toBe(`${installed}effect-datafold/dist/index.js`)
    expect(output.resolved.testing).toBe(`${installed}effect-datafold/dist/testing.js`)
    expect(output.resolved.effect.startsWith(`${installed}effect/`)).toBe(true)
  })

  it("runs the datafold-ci bin", async () => {
    const outcome = await run(join(consumer, "node_modules", ".bin", "datafold-ci"), ["--help"], consumer)
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
    expect(outcome.stdout).toContain("datafold-ci")
  })

  it("the installed datafold-ci bin triggers a run against the local server", async () => {
    const server = await startLocalDatafoldServer()
    try {
      const outcome = await run(
        join(consumer, "node_modules", ".bin", "datafold-ci"),
        [
          "trigger",
          "--json",
          "--ci-config-id=5",
          "--pr-num=7",
          "--pr-branch=feature",
          "--base-branch=main",
          `--pr-sha=${"a".repeat(40)}`,
          `--base-sha=${"b".repeat(40)}`,
          `--host=${server.url}`
        ],
        consumer,
        { DATAFOLD_API_KEY: Redacted.value(server.apiKey) }
      )
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
      expect(JSON.parse(outcome.stdout)).toMatchObject({ ok: true, ci_run_id: 1 })
      expect(server.requests().map((request) => request.url)).toStrictEqual(["/api/v1/ci/5/trigger"])
    } finally {
      await server.close()
    }
  })

  // Under NodeNext with skipLibCheck off, every declaration the package ships (and those of
  // effect it leans on) is checked in full; Bundler repeats the resolution with the usual
  // skipLibCheck, since arethetypeswrong already resolves every entry point that way.
  it.concurrent.for(
    [
      ["NodeNext", { module: "NodeNext", moduleResolution: "NodeNext", skipLibCheck: false }],
      ["Bundler", { module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true }]
    ] as const
  )(
    "type-checks a consumer under moduleResolution %s",
    { timeout: 120_000 },
    async ([name, resolution], { expect }) => {
      const dir = join(consumer, `typecheck-${name}`)
      mkdirSync(dir, { recursive: true })
      cpSync(join(fixtures, "consumer.ts"), join(dir, "consumer.ts"))
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          compilerOptions: {
            ...resolution,
            target: "ES2022",
            lib: ["ES2022", "DOM"],
            types: [],
            strict: true,
            exactOptionalPropertyTypes: true,
            noEmit: true
          },
          files: ["consumer.ts"]
        })
      )
      const outcome = await run(
        process.execPath,
        [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir],
        dir
      )
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
    }
  )
})
