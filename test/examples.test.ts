/**
 * The examples and the demo, run as a user would (`tsx`), against the local server. Each
 * example that stands for a CI step exits non-zero when the step fails (a refused key, a
 * server error, nothing listening, a failed run), so a pipeline running it stops.
 */
import { Redacted } from "effect"
import { execFile } from "node:child_process"
import { rmSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
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

const command = async (file: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const result = await run(file, args, {
    env: {
      PATH: process.env.PATH ?? "",
      DATAFOLD_HOST: server.url,
      DATAFOLD_API_KEY: Redacted.value(server.apiKey),
      ...env
    }
  }).catch((error: { stdout: string; stderr: string; code: number }) => error)
  return { stdout: String(result.stdout), stderr: String(result.stderr), code: "code" in result ? result.code : 0 }
}

const tsx = (file: string, env: Record<string, string> = {}) => command("node_modules/.bin/tsx", [file], env)

/** A loopback port nothing listens on (it was free a moment ago). */
const closedPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once("error", reject)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      probe.close(() => typeof address === "object" && address !== null ? resolve(address.port) : reject(address))
    })
  })

describe("examples", () => {
  it("trigger.ts triggers a run with DatafoldClient.Default", { timeout: 60_000 }, async () => {
    const { code, stdout } = await tsx("examples/trigger.ts")
    expect(code).toBe(0)
    expect(stdout).toContain("Triggered Datafold CI run 1 (data diff run 100001)")
    expect(server.requests()).toHaveLength(1)
  })

  it("trigger.ts exits 1 when Datafold refuses the key (401) or answers 500", { timeout: 60_000 }, async () => {
    server.inject(Fault.unauthorized())
    const refused = await tsx("examples/trigger.ts")
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("DatafoldAuthError")
    expect(refused.stdout).not.toContain("Triggered")
    server.inject(Fault.serverError(500))
    const broken = await tsx("examples/trigger.ts", { DATAFOLD_RETRIES: "0" })
    expect(broken.code).toBe(1)
    expect(broken.stderr).toContain("DatafoldServerError")
  })

  it("trigger.ts exits 1 when nothing listens on DATAFOLD_HOST", { timeout: 60_000 }, async () => {
    const port = await closedPort()
    const outcome = await tsx("examples/trigger.ts", {
      DATAFOLD_HOST: `http://127.0.0.1:${port}`,
      DATAFOLD_RETRIES: "0"
    })
    expect(outcome.code).toBe(1)
    expect(outcome.stderr).toContain("DatafoldNetworkError")
  })

  it("handle-errors.ts handles each failure by tag, and exits 1 for each", { timeout: 120_000 }, async () => {
    server.inject(Fault.validation())
    const invalid = await tsx("examples/handle-errors.ts")
    expect(invalid.stderr).toContain("DatafoldValidationError: body.pr_sha Field required")
    expect(invalid.code).toBe(1)
    server.inject(Fault.unauthorized())
    const refused = await tsx("examples/handle-errors.ts")
    expect(refused.stderr).toContain("DatafoldAuthError: status 401")
    expect(refused.code).toBe(1)
    const input = await tsx("examples/handle-errors.ts", { PR_SHA: "abc123" })
    expect(input.stderr).toContain("DatafoldInputError: fix pr_sha")
    expect(input.code).toBe(1)
    const config = await tsx("examples/handle-errors.ts", { DATAFOLD_API_KEY: "" })
    expect(config.stderr).toContain("ConfigError")
    expect(config.code).toBe(1)
    const triggered = await tsx("examples/handle-errors.ts")
    expect(triggered.stdout).toContain("triggered: ci_run_id=1")
    expect(triggered.code).toBe(0)
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
    "dbt-ci.ts exits 1 when the upload is refused (401) or the folder is no dbt target",
    { timeout: 60_000 },
    async () => {
      const target = makeTarget()
      try {
        server.inject(Fault.unauthorized(), { endpoint: "dbtUpload" })
        const refused = await tsx("examples/dbt-ci.ts", { DBT_TARGET: target.dir })
        expect(refused.code).toBe(1)
        expect(refused.stderr).toContain("DatafoldAuthError")
        expect(refused.stdout).not.toContain("Uploaded")
        expect(server.dbtUploads()).toHaveLength(0)
        rmSync(join(target.dir, "manifest.json"))
        const notDbt = await tsx("examples/dbt-ci.ts", { DBT_TARGET: target.dir })
        expect(notDbt.code).toBe(1)
        expect(notDbt.stderr).toContain("DatafoldArtifactsError")
        expect(server.requests()).toHaveLength(1)
      } finally {
        target.remove()
      }
    }
  )

  it("dbt-ci.ts exits 1 when nothing listens on DATAFOLD_HOST", { timeout: 60_000 }, async () => {
    const target = makeTarget()
    try {
      const port = await closedPort()
      const outcome = await tsx("examples/dbt-ci.ts", {
        DBT_TARGET: target.dir,
        DATAFOLD_HOST: `http://127.0.0.1:${port}`,
        DATAFOLD_RETRIES: "0"
      })
      expect(outcome.code).toBe(1)
      expect(outcome.stderr).toContain("DatafoldNetworkError")
    } finally {
      target.remove()
    }
  })

  it("dbt-ci.ts exits 1 when the run it waits for fails", { timeout: 60_000 }, async () => {
    const own = await startLocalDatafoldServer({ runStatuses: ["running", "failed"] })
    const target = makeTarget()
    try {
      const outcome = await tsx("examples/dbt-ci.ts", {
        DATAFOLD_HOST: own.url,
        DATAFOLD_API_KEY: Redacted.value(own.apiKey),
        DBT_TARGET: target.dir
      })
      expect(outcome.code).toBe(1)
      expect(outcome.stdout).toContain("Datafold CI run 1: failed")
      expect(outcome.stderr).toContain("DatafoldRunFailedError")
      expect(outcome.stdout).not.toContain("is done")
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
