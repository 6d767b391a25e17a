/**
 * Effect as a peer, as a new user meets it. A fresh project on the lowest `effect` and
 * `@effect/platform` the peer ranges allow (a different patch than this repository's
 * dev pins) installs the packed tarball: npm keeps one copy of Effect, the Effect library guide's
 * programs type-check under NodeNext and Bundler and run against the local server with
 * no "two Effect versions" warning. (A project on Effect 4 is `effect4.test.ts`'s.)
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "@effect/vitest"
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Redacted } from "effect"
import { startLocalDatafoldServer } from "../../src/testing.ts"
import { copiesOf, install, makeProject, repoBin, root, run, workspace } from "./support/project.ts"
import { floorOf } from "./support/peerFloors.ts"
import { markdownProgram } from "./support/readme.ts"

const tarball = inject("tarballs").library
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  readonly version: string
  readonly devDependencies: Record<string, string>
}
const effectFloor = floorOf("effect")
const platformFloor = floorOf("@effect/platform")
const undiciFloor = floorOf("undici")

/** The Effect library guide's programs (docs/guides/effect-library.md), by the heading they appear under. */
const programs = {
  "quick-start.ts": markdownProgram("docs/guides/effect-library.md", "## Quick start (Effect)"),
  "main.ts": markdownProgram("docs/guides/effect-library.md", "## Install and use on npm, Deno and Bun")
} as const

const space = workspace()
let floor: string

beforeAll(async () => {
  floor = makeProject(space.dir, "floor", {
    "effect": effectFloor,
    "@effect/platform": platformFloor,
    "effect-datafold": `file:${tarball.path}`
  })
  await install(floor)
  for (const [file, text] of Object.entries(programs)) writeFileSync(join(floor, file), text)
})

afterAll(() => space.remove())

describe(`a project on effect ${effectFloor} and @effect/platform ${platformFloor} (the peer floors)`, () => {
  it("the floors differ from the dev pins, so this is another patch than the one developed against", () => {
    expect(effectFloor).not.toBe(pkg.devDependencies["effect"])
    expect(platformFloor).not.toBe(pkg.devDependencies["@effect/platform"])
  })

  it("has exactly one copy of effect and of @effect/platform, at the floor versions", async () => {
    expect(await copiesOf(floor, "effect")).toEqual([join(floor, "node_modules", "effect")])
    expect(await copiesOf(floor, "@effect/platform")).toEqual([join(floor, "node_modules", "@effect", "platform")])
    const version = (path: string): string =>
      JSON.parse(readFileSync(join(floor, "node_modules", path, "package.json"), "utf8")).version
    expect(version("effect")).toBe(effectFloor)
    expect(version("@effect/platform")).toBe(platformFloor)
    expect(version("effect-datafold")).toBe(pkg.version)
  })

  it("Node imports effect-datafold and effect-datafold/testing by name and triggers a run", async () => {
    cpSync(join(import.meta.dirname, "fixtures", "run-trigger.mjs"), join(floor, "run-trigger.mjs"))
    const outcome = await run(process.execPath, ["run-trigger.mjs"], floor)
    expect(outcome.code, outcome.stderr).toBe(0)
    expect(outcome.stderr).not.toContain("Executing an Effect versioned")
    const output = JSON.parse(outcome.stdout)
    expect(output.ci_run_id).toBe(1)
    expect(output.sentUserAgent).toBe(output.userAgent)
    const installed = `file://${join(floor, "node_modules")}/`
    expect(output.resolved.main).toBe(`${installed}effect-datafold/dist/index.js`)
    expect(output.resolved.testing).toBe(`${installed}effect-datafold/dist/testing.js`)
    expect(output.resolved.effect.startsWith(`${installed}effect/`)).toBe(true)
  })

  it("has no undici (an optional peer): the main entry runs without it, and effect-datafold/node says to install it", async () => {
    expect(existsSync(join(floor, "node_modules", "undici"))).toBe(false)
    cpSync(join(import.meta.dirname, "fixtures", "run-trigger-node.mjs"), join(floor, "run-trigger-node.mjs"))
    const server = await startLocalDatafoldServer({ ciConfigIds: [7] })
    try {
      const outcome = await run(process.execPath, ["run-trigger-node.mjs"], floor, {
        DATAFOLD_API_KEY: Redacted.value(server.apiKey),
        DATAFOLD_HOST: server.url
      })
      expect(JSON.parse(outcome.stdout).failure).toContain("needs the undici package")
      expect(server.requests()).toHaveLength(0)
    } finally {
      await server.close()
    }
  })

  it.each(Object.keys(programs))(
    "the Effect library guide's %s runs against the local server, with one Effect",
    async (file) => {
      const server = await startLocalDatafoldServer()
      try {
        const outcome = await run(repoBin("tsx"), [file], floor, {
          DATAFOLD_API_KEY: Redacted.value(server.apiKey),
          DATAFOLD_HOST: server.url
        })
        expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
        expect(outcome.stdout).toMatch(/Datafold CI run 1\b/)
        expect(outcome.stdout + outcome.stderr).not.toContain("Executing an Effect versioned")
        expect(server.runs()).toHaveLength(1)
      } finally {
        await server.close()
      }
    }
  )

  // Under NodeNext with skipLibCheck off, every declaration the package ships (and those of
  // effect it leans on) is checked in full; Bundler repeats the resolution with the usual
  // skipLibCheck, since arethetypeswrong already resolves every entry point that way.
  it.concurrent.for(
    [
      ["NodeNext", { module: "NodeNext", moduleResolution: "NodeNext", skipLibCheck: false }],
      ["Bundler", { module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true }]
    ] as const
  )(
    "the guide's programs and a typed consumer pass tsc --noEmit under moduleResolution %s",
    async ([name, resolution], { expect }) => {
      const dir = join(floor, `typecheck-${name}`)
      mkdirSync(dir, { recursive: true })
      cpSync(join(import.meta.dirname, "fixtures", "consumer.ts"), join(dir, "consumer.ts"))
      for (const [file, text] of Object.entries(programs)) writeFileSync(join(dir, file), text)
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
          files: ["consumer.ts", ...Object.keys(programs)]
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

describe(`effect-datafold/node in a project with undici ${undiciFloor} (the peer floor)`, () => {
  it("imports by name and triggers a run with its one-line layer", async () => {
    const project = makeProject(space.dir, "node", {
      "effect": effectFloor,
      "@effect/platform": platformFloor,
      "undici": undiciFloor,
      "effect-datafold": `file:${tarball.path}`
    })
    await install(project)
    cpSync(join(import.meta.dirname, "fixtures", "run-trigger-node.mjs"), join(project, "run-trigger-node.mjs"))
    const server = await startLocalDatafoldServer({ ciConfigIds: [7] })
    try {
      const outcome = await run(process.execPath, ["run-trigger-node.mjs"], project, {
        DATAFOLD_API_KEY: Redacted.value(server.apiKey),
        DATAFOLD_HOST: server.url
      })
      expect(outcome.code, outcome.stderr).toBe(0)
      const output = JSON.parse(outcome.stdout)
      expect(output.ci_run_id, outcome.stdout).toBe(1)
      expect(output.resolved).toBe(`file://${join(project, "node_modules")}/effect-datafold/dist/node.js`)
      expect(server.runs()).toHaveLength(1)
    } finally {
      await server.close()
    }
  })
})
