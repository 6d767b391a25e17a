/**
 * The commands that wait report only their own run: `dbt upload-and-wait`, `trigger
 * --wait` and `submit --wait` against a local server that lists other commits' runs
 * beside ours or ignores the filter. Another commit's `done` never exits 0, and the log
 * says once how many listed runs were skipped as not ours.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { makeTarget } from "../support/dbtTarget.ts"
import { API_KEY, factFlags, onlyJson, PR_SHA, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

const OTHER = "cd".repeat(20)
const fixture = makeTarget()
const servers: Array<LocalDatafoldServer> = []
const serverWith = async (options: Parameters<typeof startLocalDatafoldServer>[0]) => {
  const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], ...options })
  servers.push(own)
  return own
}
afterAll(async () => {
  await Promise.all(servers.map((own) => own.close()))
  fixture.remove()
  removeTempDirs()
})

const envFor = (target: LocalDatafoldServer) => ({ DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: target.url })
const uploadAndWait = [
  "dbt",
  "upload-and-wait",
  "--ci-config-id",
  "7",
  "--run-type",
  "pull_request",
  "--target-folder",
  fixture.dir,
  "--commit-sha",
  PR_SHA,
  "--poll-interval",
  "0.01"
]
const skippedLine = /skipped (\d+) listed runs? not ours/g

describe("a wait reports only its own run", () => {
  it("dbt upload-and-wait: another commit's newer done run beside ours, which fails: exit 8 with our run", async () => {
    const own = await serverWith({
      runStatuses: ["running", "failed"],
      foreignRuns: [{ pr_sha: OTHER, status: "done" }]
    })
    const result = await runMain(uploadAndWait, { env: envFor(own) })
    expect(result.code, result.stderr).toBe(8)
    expect(result.stderr).toMatch(/Datafold CI run 1 \(CI config 7, PR #1, commit 0123456\) failed/)
    expect([...result.stderr.matchAll(skippedLine)].map((match) => match[1])).toEqual(["1"])
  })

  it("dbt upload-and-wait: a listing that shows only another commit's done run: exit 10, not 0", async () => {
    const own = await serverWith({ createDbtRuns: false, foreignRuns: [{ pr_sha: OTHER, status: "done" }] })
    const result = await runMain([...uploadAndWait, "--appear-timeout", "0.3"], { env: envFor(own) })
    expect(result.code, result.stderr).toBe(10)
    expect(result.stderr.match(skippedLine)).toHaveLength(1)
  })

  it("trigger --wait on a server that ignores the filter: follows the run it started", async () => {
    const own = await serverWith({ ignoreRunFilters: true, runStatuses: ["running", "done"] })
    // Another PR's run, triggered earlier, that the server lists beside ours.
    const other = await runMain([
      "trigger",
      "--ci-config-id",
      "7",
      ...factFlags.map((flag) => flag === PR_SHA ? OTHER : flag)
    ], {
      env: envFor(own)
    })
    expect(other.code, other.stderr).toBe(0)
    const result = await runMain([
      "trigger",
      "--ci-config-id",
      "7",
      ...factFlags,
      "--wait",
      "--poll-interval",
      "0.01",
      "--json"
    ], {
      env: envFor(own)
    })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ ci_run_id: 2, run: { id: 2, pr_sha: PR_SHA, status: "done" } })
    expect(result.stderr.match(skippedLine)).toHaveLength(1)
  })

  it("trigger --wait: a run listed first with our id but another commit, done, is not ours: exit 10", async () => {
    const own = await serverWith({ runStatuses: ["running"], foreignRuns: [{ id: 1, pr_sha: OTHER, status: "done" }] })
    const result = await runMain([
      "trigger",
      "--ci-config-id",
      "7",
      ...factFlags,
      "--wait",
      "--poll-interval",
      "0.01",
      "--wait-timeout",
      "0.005"
    ], { env: envFor(own) })
    expect(result.code, result.stderr).toBe(10)
    expect(result.stderr).toMatch(/still "running"/)
    expect(result.stderr.match(skippedLine)).toHaveLength(1)
  })
})
