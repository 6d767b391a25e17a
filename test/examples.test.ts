/**
 * The examples and the demo, run as a user would (`tsx`), against the local server.
 */
import { Redacted } from "effect"
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { makeTarget } from "./support/dbtTarget.ts"

const run = promisify(execFile)
let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const tsx = async (file: string, env: Record<string, string> = {}) => {
  const result = await run("node_modules/.bin/tsx", [file], {
    env: {
      PATH: process.env.PATH ?? "",
      DATAFOLD_HOST: server.url,
      DATAFOLD_API_KEY: Redacted.value(server.apiKey),
      ...env
    }
  }).catch((error: { stdout: string; stderr: string; code: number }) => error)
  return { stdout: String(result.stdout), stderr: String(result.stderr), code: "code" in result ? result.code : 0 }
}

describe("examples", () => {
  it("trigger.ts triggers a run with DatafoldClient.Default", { timeout: 60_000 }, async () => {
    const { code, stdout } = await tsx("examples/trigger.ts")
    expect(code).toBe(0)
    expect(stdout).toContain("Triggered Datafold CI run 1 (data diff run 100001)")
    expect(server.requests()).toHaveLength(1)
  })

  it("handle-errors.ts handles each failure by tag", { timeout: 120_000 }, async () => {
    server.inject(Fault.validation())
    expect((await tsx("examples/handle-errors.ts")).stdout).toContain(
      "DatafoldValidationError: body.pr_sha Field required"
    )
    server.inject(Fault.unauthorized())
    expect((await tsx("examples/handle-errors.ts")).stdout).toContain("DatafoldAuthError: status 401")
    expect((await tsx("examples/handle-errors.ts", { PR_SHA: "abc123" })).stdout).toContain(
      "DatafoldInputError: fix pr_sha"
    )
    expect((await tsx("examples/handle-errors.ts", { DATAFOLD_API_KEY: "" })).stdout).toContain("ConfigError")
    expect((await tsx("examples/handle-errors.ts")).stdout).toContain("triggered: ci_run_id=1")
  })

  it("dbt-ci.ts uploads a target folder and waits for its run to end", { timeout: 60_000 }, async () => {
    const own = await startLocalDatafoldServer({ runStatuses: ["running", "done"] })
    const target = makeTarget()
    try {
      const { code, stdout } = await tsx("examples/dbt-ci.ts", {
        DATAFOLD_HOST: own.url,
        DATAFOLD_API_KEY: Redacted.value(own.apiKey),
        DBT_TARGET: target.dir
      })
      expect(code).toBe(0)
      expect(stdout).toMatch(
        new RegExp(`^Uploaded ${Object.keys(target.files).length} files \\(\\d+ bytes zipped\\) for 8f14e45`, "m")
      )
      expect(stdout).toContain("Datafold CI run 1: running")
      expect(stdout).toContain("Datafold CI run 1 is done")
      expect(own.dbtUploads()).toHaveLength(1)
    } finally {
      target.remove()
      await own.close()
    }
  })

  it(
    "the demo runs offline with no key: the request, the answer, an upload, a handled 422, a dbt upload, its run and its verdict",
    { timeout: 60_000 },
    async () => {
      const { code, stdout } = await tsx("examples/demo.ts", { DATAFOLD_API_KEY: "", DATAFOLD_HOST: "" })
      expect(code).toBe(0)
      expect(stdout).toContain("POST http://127.0.0.1:")
      expect(stdout).toContain('"pr_sha":"8f14e45fceea167a5a36dedd4bea2543c0a1b2c3"')
      expect(stdout).toContain("decoded answer: ci_run_id=1")
      expect(stdout).toContain("attached 1 diff to CI run 1")
      expect(stdout).toContain('"prod":"analytics.prod.orders"')
      expect(stdout).toContain("caught DatafoldValidationError")
      expect(stdout).toMatch(/uploaded 3 files \(\d+ bytes, \d+ zipped\) as multipart\/form-data/)
      expect(stdout).toContain("Datafold CI run 2 is done")
      expect(stdout).toMatch(/5\. The verdict[^\n]*\n {3}\S+: different, rows \+\d+ -\d+ ~\d+; \w+ [\d.]+% matching/)
      expect(stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+\/datadiffs\/\d+\/overview/)
      expect(stdout).toContain("Authorization: Key <redacted>")
      expect(stdout).not.toMatch(/dfk_test_[0-9a-f]{8}/)
    }
  )
})
