/**
 * An Effect 3 project without `@effect/platform`, an optional peer: `npm install
 * effect-datafold effect@3` and nothing else. The README's quick start for an Effect program (read out of
 * README.md) runs on `DatafoldClient.Default` against the local server and type-checks;
 * what does need the platform (the local test server, `effect-datafold/api`: the declarative
 * API and the layers over an `HttpClient`) fails saying what to install, having sent nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "@effect/vitest"
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Redacted } from "effect"
import { startLocalDatafoldServer } from "../../src/testing.ts"
import { copiesOf, install, makeProject, repoBin, root, run, workspace } from "./support/project.ts"
import { effect3Floor } from "./support/peerFloors.ts"
import { markdownProgram } from "./support/readme.ts"

const tarball = inject("tarballs").library
const quickStart = markdownProgram("README.md", "### An Effect program")

const space = workspace()
let project: string

beforeAll(async () => {
  project = makeProject(space.dir, "effect-only", { "effect": effect3Floor, "effect-datafold": `file:${tarball.path}` })
  await install(project)
  writeFileSync(join(project, "quick-start.ts"), quickStart)
  cpSync(join(import.meta.dirname, "fixtures", "without-platform.mjs"), join(project, "without-platform.mjs"))
})

afterAll(() => space.remove())

describe(`a project with only effect ${effect3Floor} and effect-datafold (no @effect/platform)`, () => {
  it("installs with one effect and no @effect/platform, and npm ls is content", async () => {
    expect(await copiesOf(project, "effect")).toEqual([join(project, "node_modules", "effect")])
    expect(existsSync(join(project, "node_modules", "@effect", "platform"))).toBe(false)
    const ls = await run("npm", ["ls", "--all"], project)
    expect(ls.code, ls.stdout + ls.stderr).toBe(0)
  })

  it("the README's quick start runs on DatafoldClient.Default against the local server", async () => {
    const server = await startLocalDatafoldServer({ ciConfigIds: [123] })
    try {
      const outcome = await run(repoBin("tsx"), ["quick-start.ts"], project, {
        DATAFOLD_API_KEY: Redacted.value(server.apiKey),
        DATAFOLD_HOST: server.url
      })
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
      expect(outcome.stdout).toMatch(/Datafold CI run 1\b/)
      expect(server.runs()).toMatchObject([{ id: 1, pr_num: "42" }])
    } finally {
      await server.close()
    }
  })

  it("the quick start passes tsc --noEmit (skipLibCheck, as tsc --init sets it)", async () => {
    const dir = join(project, "typecheck")
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "quick-start.ts"), quickStart)
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          skipLibCheck: true,
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          types: [],
          strict: true,
          noEmit: true
        },
        files: ["quick-start.ts"]
      })
    )
    const outcome = await run(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir],
      dir
    )
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  })

  it("what needs the platform fails naming the install command, and sends nothing", async () => {
    const server = await startLocalDatafoldServer()
    try {
      const outcome = await run(process.execPath, ["without-platform.mjs"], project, { DATAFOLD_HOST: server.url })
      expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
      const result = JSON.parse(outcome.stdout) as Record<string, unknown>
      const install = "npm install @effect/platform@^0.97.0"
      expect(result["mainEntry"]).toEqual([])
      expect(result["defaultLayer"]).toBe(true)
      expect(result["testing"]).toContain("effect-datafold/testing's local server needs @effect/platform")
      expect(result["testing"]).toContain(install)
      // A module that imports the platform statically: Node's own error names the package.
      expect(result["api"]).toMatch(/Cannot find package '@effect\/platform'/)
      expect(server.requests()).toHaveLength(0)
    } finally {
      await server.close()
    }
  })
})
