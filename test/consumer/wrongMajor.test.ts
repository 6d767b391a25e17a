/**
 * The wrong Effect major, as a new user meets it: `npm install effect-datafold effect` gives
 * Effect 4, whose project then imports the main entry (or a project on Effect 3 imports
 * `effect-datafold/effect4`). Every entry of the other major fails at import with one
 * `Error` that names both majors and the entry to import instead, on Node, Bun and Deno;
 * the entry it names imports in the same project.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "@effect/vitest"
import * as esbuild from "esbuild"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { packageEntries } from "../../src/core/effectMajor.ts"
import { install, makeProject, repoBin, root, run, workspace } from "./support/project.ts"
import { floorOf } from "./support/peerFloors.ts"

const tarball = inject("tarballs").library
const effect4 = (JSON.parse(readFileSync(join(root, "src", "effect4", "package.json"), "utf8")) as {
  readonly dependencies: Record<string, string>
}).dependencies["effect"]!
const effect3 = floorOf("effect")

/** Imports the entry named by argv[2] and prints what happened as JSON. */
const importer = `const entry = process.argv[2]
try {
  const module = await import(entry)
  console.log(JSON.stringify({ imported: Object.keys(module).length }))
} catch (error) {
  console.log(JSON.stringify({ isError: error instanceof Error, name: error.name, message: error.message }))
}
`

interface Imported {
  readonly imported?: number
  readonly isError?: boolean
  readonly name?: string
  readonly message?: string
}

const space = workspace()
const projects: Record<3 | 4, string> = { 3: "", 4: "" }

beforeAll(async () => {
  projects[4] = makeProject(space.dir, "on-effect4", { "effect": effect4, "effect-datafold": `file:${tarball.path}` })
  projects[3] = makeProject(space.dir, "on-effect3", {
    "effect": effect3,
    "@effect/platform": floorOf("@effect/platform"),
    "effect-datafold": `file:${tarball.path}`
  })
  await Promise.all([install(projects[3]), install(projects[4])])
  for (const dir of Object.values(projects)) writeFileSync(join(dir, "import.mjs"), importer)
})

afterAll(() => space.remove())

const importIn = async (dir: string, entry: string, runtime: "node" | "bun" | "deno" = "node"): Promise<Imported> => {
  const [command, args] = runtime === "node"
    ? [process.execPath, ["import.mjs", entry]]
    : runtime === "bun"
    ? [repoBin("bun"), ["import.mjs", entry]]
    : [repoBin("deno"), ["run", "--allow-read", "--allow-env", "import.mjs", entry]]
  const outcome = await run(command, args, dir)
  expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  const last = outcome.stdout.trim().split("\n").at(-1) ?? ""
  return JSON.parse(last) as Imported
}

const cases = Object.values(packageEntries).map((entry) => {
  const installed = entry.major === 3 ? effect4 : effect3
  return [`${entry.path} (Effect ${entry.major}) with effect ${installed} installed`, entry, installed] as const
})

describe("importing an entry of the other Effect major", () => {
  it.concurrent.for(cases)("%s throws one Error naming both majors and what to do", async ([, entry, installed]) => {
    const otherMajor = entry.major === 3 ? 4 : 3
    const outcome = await importIn(projects[otherMajor], entry.path)
    expect(outcome).toMatchObject({ isError: true, name: "EffectMajorMismatchError" })
    expect(outcome.message).toContain(`${entry.path} is for Effect ${entry.major}; Effect ${installed} is installed`)
    expect(outcome.message).toContain(`install effect@${entry.major}`)
    if (entry.counterpart !== undefined) {
      expect(outcome.message).toContain(`import from "${entry.counterpart}" instead`)
      // The entry the message names is the right one for the installed major.
      expect((await importIn(projects[otherMajor], entry.counterpart)).imported).toBeGreaterThan(0)
    }
  })

  it.concurrent.for(Object.values(packageEntries).map((entry) => [entry.path, entry] as const))(
    "%s imports with its own major installed",
    async ([, entry]) => {
      expect((await importIn(projects[entry.major], entry.path)).imported).toBeGreaterThan(0)
    }
  )

  it.concurrent.for(["bun", "deno"] as const)("on %s, the message is the same", async (runtime) => {
    const main = await importIn(projects[4], "effect-datafold", runtime)
    expect(main).toMatchObject({ isError: true, name: "EffectMajorMismatchError" })
    expect(main.message).toBe(
      `effect-datafold is for Effect 3; Effect ${effect4} is installed: import from "effect-datafold/effect4" instead, or install effect@3.`
    )
    const four = await importIn(projects[3], "effect-datafold/effect4", runtime)
    expect(four.message).toBe(
      `effect-datafold/effect4 is for Effect 4; Effect ${effect3} is installed: import from "effect-datafold" instead, or install effect@4.`
    )
    expect((await importIn(projects[4], "effect-datafold/effect4", runtime)).imported).toBeGreaterThan(0)
  })
})

describe("the guard's top-level await stays out of bundlers and require()", () => {
  it("a bundler (the module condition) reads the entry's body: no guard, and what is not used is shaken out", async () => {
    const result = await esbuild.build({
      stdin: {
        contents: 'import { triggerCiRun } from "effect-datafold"\nconsole.log(typeof triggerCiRun)\n',
        resolveDir: projects[3]
      },
      bundle: true,
      write: false,
      metafile: true,
      format: "esm",
      platform: "node",
      external: ["undici", "@effect/platform", "@effect/platform/*"],
      logLevel: "silent"
    })
    // Paths are relative to this process's working directory, so matched by their end.
    const inputs = Object.keys(result.metafile.inputs).filter((input) =>
      input.includes("node_modules/effect-datafold/")
    )
    expect(inputs.some((input) => input.endsWith("/effect-datafold/dist/index.impl.js"))).toBe(true)
    expect(inputs.some((input) => input.endsWith("/effect-datafold/dist/index.js"))).toBe(false)
    // The local server (effect-datafold/testing's) is not pulled in by a trigger.
    expect(inputs.some((input) => input.includes("/dist/localServer/"))).toBe(false)
  })

  it("require() of an entry (Node 20.19+ and 22+ load ESM that way) still works", async () => {
    const outcome = await run(
      process.execPath,
      ["-e", 'const m = require("effect-datafold"); console.log(typeof m.triggerCiRun)'],
      projects[3]
    )
    expect(outcome.code, outcome.stderr).toBe(0)
    expect(outcome.stdout.trim()).toBe("function")
  })
})
