/**
 * Every file in `examples/` runs unchanged under `deno run` and under `bun`, against the
 * local Datafold server over loopback HTTP (tsx is covered with the lead's example
 * tests). The examples read `DATAFOLD_HOST` and `DATAFOLD_API_KEY` like any program. Those
 * that stand for a CI step exit 1 when Datafold refuses the key, on each runtime as on Node.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { makeTarget, type TargetFixture } from "../support/dbtTarget.ts"
import * as Redacted from "effect/Redacted"
import { execFile } from "node:child_process"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"

const root = fileURLToPath(new URL("../..", import.meta.url))
const bin = (name: string): string => join(root, "node_modules", ".bin", name)

const runtimes: ReadonlyArray<readonly [name: string, command: (file: string) => readonly [string, Array<string>]]> = [
  // Reading and writing files: the dbt example reads a target folder, the demo writes one.
  [
    "deno",
    (file) => [bin("deno"), ["run", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", "--allow-write", file]]
  ],
  ["bun", (file) => [bin("bun"), [file]]]
]

const examples = readdirSync(join(root, "examples"))
  .filter((file) => file.endsWith(".ts"))
  .sort()

interface Outcome {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Asynchronous on purpose: the server answers from this process's event loop. */
const run = (command: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): Promise<Outcome> =>
  new Promise((resolve) => {
    execFile(command, args, { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
      resolve({ code, stdout, stderr })
    })
  })

const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("DATAFOLD_")))

let server: LocalDatafoldServer
let target: TargetFixture
beforeAll(async () => {
  // Runs go from running to done as they are listed, so the dbt example's wait ends.
  server = await startLocalDatafoldServer({ runStatuses: ["running", "done"] })
  target = makeTarget()
})
afterAll(async () => {
  await server.close()
  target.remove()
})
beforeEach(() => server.reset())

/** The examples that stand for a CI step, and the endpoint whose 401 fails each. */
const ciSteps = [["trigger.ts", "trigger"], ["handle-errors.ts", "trigger"], ["dbt-ci.ts", "dbtUpload"]] as const

/** What each example promises to print; any other example must at least succeed. */
const check = (file: string, outcome: Outcome): void => {
  const detail = `${file}\nstdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}`
  // handle-errors.ts handles the 422 it is given, and fails the step.
  expect(outcome.code, detail).toBe(file === "handle-errors.ts" ? 1 : 0)
  switch (file) {
    case "trigger.ts": {
      const runs = server.runs()
      expect(runs, detail).toHaveLength(1)
      expect(outcome.stdout, detail).toMatch(new RegExp(`\\b${runs[0]!.id}\\b`))
      break
    }
    case "handle-errors.ts": {
      expect(outcome.stdout, detail).toBe("")
      const lines = outcome.stderr.trim().split("\n")
      expect(lines, detail).toHaveLength(1)
      expect(lines[0], detail).toMatch(/^DatafoldValidationError\b/)
      break
    }
    case "demo.ts":
      // The demo runs its own server; it shows a trigger, an upload, a 422 handled by tag, a dbt upload.
      expect(outcome.stdout, detail).toMatch(/ci_run_id=\d+/)
      expect(outcome.stdout, detail).toMatch(/attached 1 diff to CI run \d+/)
      expect(outcome.stdout, detail).toContain("DatafoldValidationError")
      expect(outcome.stdout, detail).toMatch(/Datafold CI run \d+ is done/)
      break
    case "dbt-ci.ts":
      expect(server.dbtUploads(), detail).toHaveLength(1)
      expect(outcome.stdout, detail).toMatch(/Datafold CI run \d+ is done/)
      break
    default:
      expect(outcome.stdout.trim(), detail).not.toBe("")
  }
}

describe.each(runtimes)("examples on %s", (_name, command) => {
  it("finds the examples", () => {
    expect(examples).toContain("trigger.ts")
  })

  const runExample = (file: string): Promise<Outcome> => {
    const [executable, args] = command(join("examples", file))
    return run(executable, args, {
      ...cleanEnv(),
      DATAFOLD_HOST: server.url,
      DATAFOLD_API_KEY: Redacted.value(server.apiKey),
      DBT_TARGET: target.dir,
      NO_COLOR: "1",
      // Deno and Bun send loopback requests through HTTP_PROXY unless told otherwise.
      NO_PROXY: "127.0.0.1,localhost"
    })
  }

  it.each(examples)("%s", async (file) => {
    // handle-errors.ts shows the error branches: give it Datafold's 422 to handle.
    if (file === "handle-errors.ts") server.inject(Fault.validation())
    check(file, await runExample(file))
  })

  it.each(ciSteps)("%s exits 1 when Datafold refuses the key", async (file, endpoint) => {
    expect(examples).toContain(file)
    server.inject(Fault.unauthorized(), { endpoint })
    const outcome = await runExample(file)
    expect(outcome.code, `${file}\nstdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}`).toBe(1)
    expect(outcome.stderr).toContain("DatafoldAuthError")
  })
})
