/**
 * The README's quick start type-checks as a user's `tsc --strict` checks it, **without**
 * `skipLibCheck` (so every declaration file it reaches, the package's and its peers', is
 * checked too), for each documented install: Effect 3 without `@effect/platform` (an optional
 * peer: the main entry's declarations must not name it, nor `undici`), Effect 3 with the
 * platform (and then `effect-datafold/api`'s layers over an `HttpClient` too), and Effect 4
 * (`effect-datafold/effect4`). The versions are this repository's own pins (the root
 * package.json's devDependencies, the Effect 4 workspace's `effect`); no `@types/node`.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "@effect/vitest"
import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { install, makeProject, type Outcome, root, run, workspace } from "./support/project.ts"
import { markdownProgram } from "./support/readme.ts"

const tarball = inject("tarballs").library
const rootPins = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  readonly devDependencies: Record<string, string>
}).devDependencies
const effect4Pin = (JSON.parse(readFileSync(join(root, "src", "effect4", "package.json"), "utf8")) as {
  readonly dependencies: Record<string, string>
}).dependencies["effect"]!
const effect3Pin = rootPins["effect"]!
const platformPin = rootPins["@effect/platform"]!

const quickStart = markdownProgram("README.md", "### An Effect program")
/** The README: "On Effect 4, import from `effect-datafold/effect4`; the rest is the same." */
const quickStart4 = quickStart.replace(`from "effect-datafold"`, `from "effect-datafold/effect4"`)
const guideQuickStart4 = markdownProgram("docs/guides/effect-library.md", "## Quick start (Effect 4)")

/** A program over an `HttpClient` of your own, as `effect-datafold/api` documents it (needs the platform). */
const overHttpClient = `import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer, Redacted } from "effect"
import { listCiRuns } from "effect-datafold"
import { clientLayer } from "effect-datafold/api"

const live = clientLayer({ apiKey: Redacted.make("k".repeat(32)), transformClient: (client) => client }).pipe(
  Layer.provide(FetchHttpClient.layer)
)
export const runs = listCiRuns(1234).pipe(Effect.provide(live))
`

const space = workspace()

/** `tsc -p` over `files` in `dir`: strict, NodeNext, no `skipLibCheck`, no ambient `@types`. */
const typecheck = (dir: string, files: Readonly<Record<string, string>>): Promise<Outcome> => {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        module: "NodeNext",
        moduleResolution: "NodeNext",
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        types: [],
        strict: true,
        noEmit: true
      },
      files: Object.keys(files)
    })
  )
  return run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir], dir)
}

const projects = {
  effect3: "",
  effect3Platform: "",
  effect4: ""
}

beforeAll(async () => {
  projects.effect3 = makeProject(space.dir, "effect3", {
    effect: effect3Pin,
    "effect-datafold": `file:${tarball.path}`
  })
  projects.effect3Platform = makeProject(space.dir, "effect3-platform", {
    effect: effect3Pin,
    "@effect/platform": platformPin,
    "effect-datafold": `file:${tarball.path}`
  })
  projects.effect4 = makeProject(space.dir, "effect4", {
    effect: effect4Pin,
    "effect-datafold": `file:${tarball.path}`
  })
  await Promise.all(Object.values(projects).map(install))
})

afterAll(() => space.remove())

describe("tsc --strict without skipLibCheck on the README's quick start", () => {
  it("the programs are the README's (and the guide's Effect 4 one)", () => {
    expect(quickStart).toContain(`from "effect-datafold"`)
    expect(quickStart4).toContain(`from "effect-datafold/effect4"`)
    expect(quickStart4).not.toContain(`from "effect-datafold"\n`)
    expect(guideQuickStart4).toContain(`from "effect-datafold/effect4"`)
  })

  it(`Effect ${effect3Pin} without @effect/platform or undici: passes`, async () => {
    const dir = projects.effect3
    expect(existsSync(join(dir, "node_modules", "@effect", "platform"))).toBe(false)
    expect(existsSync(join(dir, "node_modules", "undici"))).toBe(false)
    expect(existsSync(join(dir, "node_modules", "@types", "node"))).toBe(false)
    const outcome = await typecheck(dir, { "quick-start.ts": quickStart })
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  })

  it(`Effect ${effect3Pin} with @effect/platform ${platformPin}: the quick start and a layer over an HttpClient pass`, async () => {
    const dir = projects.effect3Platform
    expect(existsSync(join(dir, "node_modules", "@effect", "platform"))).toBe(true)
    const outcome = await typecheck(dir, { "quick-start.ts": quickStart, "over-http-client.ts": overHttpClient })
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  })

  it(`Effect ${effect4Pin} (effect-datafold/effect4): the README's quick start and the guide's pass`, async () => {
    const dir = projects.effect4
    const version = JSON.parse(readFileSync(join(dir, "node_modules", "effect", "package.json"), "utf8")).version
    expect(version).toBe(effect4Pin)
    const outcome = await typecheck(dir, { "quick-start.ts": quickStart4, "guide-quick-start.ts": guideQuickStart4 })
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  })

  it("the layers over an HttpClient are effect-datafold/api's, not the main entry's", async () => {
    const dir = projects.effect3
    const outcome = await typecheck(dir, {
      "wrong-entry.ts": `import { clientLayer } from "effect-datafold"\nexport const layer = clientLayer\n`
    })
    expect(outcome.code).not.toBe(0)
    expect(outcome.stdout).toMatch(/has no exported member named 'clientLayer'|has no exported member 'clientLayer'/)
  })
})
