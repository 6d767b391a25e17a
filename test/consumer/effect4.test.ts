/**
 * Effect 4 as a new user meets it: a fresh project with only `effect@4.1.0` and the packed
 * tarball installed (no `@effect/platform`). npm accepts it with one `effect`; the Effect library
 * guide's Effect 4 quick start, read out of docs/guides/effect-library.md, passes `tsc --noEmit` and runs against the
 * local server of `effect-datafold/effect4/testing` as installed; Deno type-checks and runs
 * `examples/effect4/trigger.ts` (`npm:effect@^4.1.0`) from the same project.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "@effect/vitest"
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { type AddressInfo, createServer } from "node:net"
import { join } from "node:path"
import { copiesOf, install, makeProject, repoBin, root, run, workspace } from "./support/project.ts"
import { markdownProgram } from "./support/readme.ts"

const tarball = inject("tarballs").library
const effect4 = (JSON.parse(readFileSync(join(root, "src", "effect4", "package.json"), "utf8")) as {
  readonly dependencies: Record<string, string>
}).dependencies["effect"]!
const quickStart = markdownProgram("docs/guides/effect-library.md", "## Quick start (Effect 4)")
const testingExample = markdownProgram(
  "docs/guides/testing-your-pipeline.md",
  "## On Effect 4: `effect-datafold/effect4/testing`"
)

interface ServerRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  readonly runs: ReadonlyArray<{ readonly id: number; readonly pr_num: string }>
  readonly userAgents: ReadonlyArray<string>
  readonly resolved: { readonly testing: string; readonly effect: string }
}

const space = workspace()
let project: string

/** Runs a command in the project with the installed Effect 4 local server behind it. */
const withLocalServer = async (command: string, args: ReadonlyArray<string>): Promise<ServerRun> => {
  const outcome = await run(process.execPath, ["run-with-effect4-server.mjs", command, ...args], project)
  expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  return JSON.parse(outcome.stdout) as ServerRun
}

beforeAll(async () => {
  project = makeProject(space.dir, "effect4", { "effect": effect4, "effect-datafold": `file:${tarball.path}` })
  await install(project)
  writeFileSync(join(project, "quick-start.ts"), quickStart)
  cpSync(
    join(import.meta.dirname, "fixtures", "run-with-effect4-server.mjs"),
    join(project, "run-with-effect4-server.mjs")
  )
  cpSync(join(root, "examples", "effect4", "trigger.ts"), join(project, "deno-trigger.ts"))
})

afterAll(() => space.remove())

describe(`a project with only effect ${effect4} and effect-datafold`, () => {
  it("installs with one copy of effect, at 4.x, and no @effect/platform", async () => {
    expect(await copiesOf(project, "effect")).toEqual([join(project, "node_modules", "effect")])
    const version = JSON.parse(readFileSync(join(project, "node_modules", "effect", "package.json"), "utf8")).version
    expect(version).toBe(effect4)
    expect(existsSync(join(project, "node_modules", "@effect", "platform"))).toBe(false)
    const ls = await run("npm", ["ls", "--all"], project)
    expect(ls.code, ls.stdout + ls.stderr).toBe(0)
  })

  it("the Effect library guide's Effect 4 quick start runs against the installed Effect 4 local server", async () => {
    const outcome = await withLocalServer(repoBin("tsx"), ["quick-start.ts"])
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
    expect(outcome.stdout).toMatch(/Datafold CI run 1\b/)
    expect(outcome.stdout + outcome.stderr).not.toContain("Executing an Effect versioned")
    expect(outcome.runs).toMatchObject([{ id: 1, pr_num: "42" }])
    expect(outcome.userAgents[0]).toMatch(/^effect-datafold\//)
    const installed = `file://${join(project, "node_modules")}/`
    expect(outcome.resolved.testing).toBe(`${installed}effect-datafold/dist/effect4/testing.js`)
    expect(outcome.resolved.effect.startsWith(`${installed}effect/`)).toBe(true)
  })

  // NodeNext checks every declaration the Effect 4 entry ships, and those of effect it
  // leans on; Bundler repeats the resolution with the usual skipLibCheck.
  it.concurrent.for(
    [
      ["NodeNext", { module: "NodeNext", moduleResolution: "NodeNext", skipLibCheck: false }],
      ["Bundler", { module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true }]
    ] as const
  )("the guides' Effect 4 programs pass tsc --noEmit under moduleResolution %s", async ([name, resolution]) => {
    const dir = join(project, `typecheck-${name}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, "quick-start.ts"), quickStart)
    writeFileSync(join(dir, "testing.ts"), testingExample)
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
        files: ["quick-start.ts", "testing.ts"]
      })
    )
    const outcome = await run(
      process.execPath,
      [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir],
      dir
    )
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
  })

  it("Deno type-checks and runs examples/effect4/trigger.ts (npm:effect@^4.1.0) from the project", async () => {
    const deno = repoBin("deno")
    const check = await run(deno, ["check", "deno-trigger.ts"], project)
    expect(check.code, check.stdout + check.stderr).toBe(0)
    const outcome = await withLocalServer(deno, ["run", "--allow-net=127.0.0.1", "--allow-env", "deno-trigger.ts"])
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(0)
    expect(outcome.stdout).toMatch(/Triggered Datafold CI run 1 \(data diff run 100001\)/)
    expect(outcome.runs).toHaveLength(1)
  })

  it("examples/effect4/trigger.ts exits 1 on Deno when the trigger fails (nothing listens on the host)", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo
        probe.close(() => resolve(port))
      })
    })
    const outcome = await run(
      repoBin("deno"),
      ["run", "--allow-net=127.0.0.1", "--allow-env", "deno-trigger.ts"],
      project,
      {
        DATAFOLD_HOST: `http://127.0.0.1:${port}`,
        DATAFOLD_API_KEY: "dfk_consumer_test_0123456789",
        DATAFOLD_RETRIES: "0"
      }
    )
    expect(outcome.code, outcome.stdout + outcome.stderr).toBe(1)
    expect(outcome.stdout + outcome.stderr).toContain("DatafoldNetworkError")
    expect(outcome.stdout).not.toContain("Triggered")
  })
})
