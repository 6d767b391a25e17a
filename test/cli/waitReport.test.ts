/**
 * Every command that waits for a CI run ends with the run's report, as `datafold-ci
 * results` prints it: `trigger --wait`, `submit --wait` and `dbt upload-and-wait`, against
 * the local server on loopback. The report's text, its `--json` field and step summary,
 * `--fail-on` and exit 12, the `--junit` file, the flags refused without `--wait`, and a
 * report that cannot be read (fatal only when a gate or a file depends on it).
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import type { LocalDataDiffOptions } from "../../src/testing.ts"
import { makeTarget } from "../support/dbtTarget.ts"
import { API_KEY, emptyDir, factFlags, onlyJson, PR_SHA, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

const servers: Array<LocalDatafoldServer> = []
const fixture = makeTarget()
afterAll(async () => {
  await Promise.all(servers.map((own) => own.close()))
  fixture.remove()
  removeTempDirs()
})

const serverWith = async (dataDiffs: LocalDataDiffOptions) => {
  const own = await startLocalDatafoldServer({
    apiKey: API_KEY,
    ciConfigIds: [7],
    runStatuses: ["running", "done"],
    dataDiffs
  })
  servers.push(own)
  return own
}

const plan = (outcome: "identical" | "different" | "schema") => ({
  table1: ["ANALYTICS", "PROD", outcome.toUpperCase()],
  table2: ["ANALYTICS", "PR_45", outcome.toUpperCase()],
  outcome
})

const envFor = (target: LocalDatafoldServer, more: Record<string, string> = {}) => ({
  DATAFOLD_API_KEY: API_KEY,
  DATAFOLD_HOST: target.url,
  ...more
})

const fast = ["--poll-interval", "0.01"]
const triggerWait = ["trigger", "--ci-config-id", "7", ...factFlags, "--wait", ...fast]

describe("trigger --wait ends with the run's report", () => {
  it("prints the report after its own lines, exits 0 without --fail-on, and puts it in the step summary", async () => {
    const own = await serverWith({ onTrigger: [plan("identical"), plan("different")] })
    const summary = join(emptyDir(), "summary.md")
    const result = await runMain(triggerWait, {
      env: envFor(own, { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary })
    })
    expect(result.code, result.stderr).toBe(0)
    const [own_lines = "", report = ""] = result.stdout.split(/\n(?=CI run 1: )/)
    expect(own_lines).toMatch(/CI run/)
    expect(report).toMatch(/^CI run 1: 2 tables diffed, 1 different, 1 identical\./)
    expect(report).toContain("ANALYTICS.PR_45.DIFFERENT")
    expect(report).toContain(`${own.url}/datadiffs/`)
    const markdown = readFileSync(summary, "utf8")
    expect(markdown).toContain("### ✅ Datafold CI run triggered")
    expect(markdown).toContain("ANALYTICS.PR_45.DIFFERENT")
  })

  it("--json has the report as one field, with the gates and what tripped them; --fail-on different is exit 12", async () => {
    const own = await serverWith({ onTrigger: [plan("identical"), plan("different")] })
    const result = await runMain([...triggerWait, "--fail-on", "different", "--json"], { env: envFor(own) })
    expect(result.code, result.stderr).toBe(12)
    const json = onlyJson(result.stdout) as {
      ok: boolean
      run: { id: number; status: string }
      report: {
        ci_run_id: number
        counts: Record<string, number>
        fail_on: ReadonlyArray<string>
        tripped: ReadonlyArray<{ gate: string; table: string }>
      }
    }
    expect(json.run).toMatchObject({ id: 1, status: "done" })
    expect(json.report.ci_run_id).toBe(1)
    expect(json.report.fail_on).toEqual(["different"])
    expect(json.report.tripped.map((trip) => [trip.gate, trip.table])).toEqual([
      ["different", "ANALYTICS.PR_45.DIFFERENT"]
    ])
  })

  it("writes --junit and --markdown once the run is done", async () => {
    const own = await serverWith({ onTrigger: [plan("schema")] })
    const dir = emptyDir()
    const result = await runMain([...triggerWait, "--junit", "report.xml", "--markdown", "report.md"], {
      env: envFor(own),
      cwd: dir
    })
    expect(result.code, result.stderr).toBe(0)
    expect(readFileSync(join(dir, "report.xml"), "utf8")).toMatch(/<testcase [^>]*name="ANALYTICS\.PR_45\.SCHEMA"/)
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("ANALYTICS.PR_45.SCHEMA")
  })

  it("refuses --fail-on, --markdown and --junit without --wait before anything is sent (exit 2)", async () => {
    const own = await serverWith({})
    for (const extra of [["--fail-on", "different"], ["--junit", "r.xml"], ["--markdown", "r.md"]]) {
      const result = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, ...extra], { env: envFor(own) })
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr).toMatch(/needs --wait/)
    }
    expect(own.requests()).toHaveLength(0)
  })

  it("a report that cannot be read: a note and exit 0 when nothing depends on it; a failure with --fail-on", async () => {
    const own = await serverWith({ onTrigger: [plan("different")] })
    own.inject(Fault.forbidden(), { endpoint: "dataDiffList", times: 100 })
    const lenient = await runMain(triggerWait, { env: envFor(own) })
    expect(lenient.code, lenient.stderr).toBe(0)
    expect(lenient.stderr).toMatch(/CI run 1 is done, but its report could not be read: .*403/)
    expect(lenient.stderr).toContain("datafold-ci results --ci-config-id 7 --run-id 1")

    const gated = await runMain([...triggerWait, "--fail-on", "different"], { env: envFor(own) })
    expect(gated.code).not.toBe(0)
    expect(gated.code).not.toBe(12)
    expect(gated.stderr).toMatch(/403/)
  })
})

describe("submit --wait ends with the run's report", () => {
  it("reports the diffs the upload created; --fail-on different trips on them", async () => {
    const own = await serverWith({ onUpload: ["different"] })
    const triggered = await runMain(["trigger", "--ci-config-id", "7", ...factFlags], { env: envFor(own) })
    expect(triggered.code, triggered.stderr).toBe(0)
    const result = await runMain(
      ["submit", "--ci-config-id", "7", "--pr-num", "45", "--wait", ...fast, "--fail-on", "different"],
      { env: envFor(own), stdin: JSON.stringify([{ prod: "db.prod.orders", pr: "db.pr.orders" }]) }
    )
    expect(result.code, result.stderr).toBe(12)
    expect(result.stdout).toMatch(/^Attached 1 diff to /)
    expect(result.stdout).toMatch(/\nCI run 1: 1 table diffed, 1 different, 0 identical\./)
    expect(result.stdout).toMatch(/^--fail-on different: db\.pr\.orders \(diff \d+\)/m)
  })
})

describe("dbt upload-and-wait ends with the run's report", () => {
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
    ...fast
  ]

  it("prints the report, writes the JUnit file, and exits 12 when --fail-on trips", async () => {
    const own = await serverWith({ onDbtRun: [plan("identical"), plan("different")] })
    const dir = emptyDir()
    const summary = join(dir, "summary.md")
    const result = await runMain([...uploadAndWait, "--fail-on", "different", "--junit", "junit.xml"], {
      env: envFor(own, { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary }),
      cwd: dir
    })
    expect(result.code, result.stderr).toBe(12)
    expect(result.stdout).toMatch(/^Uploaded the pull_request dbt artifacts/)
    expect(result.stdout).toMatch(/\nCI run \d+: 2 tables diffed, 1 different, 1 identical\./)
    expect(readFileSync(join(dir, "junit.xml"), "utf8")).toMatch(/<failure[^>]*>/)
    const markdown = readFileSync(summary, "utf8")
    expect(markdown).toMatch(/### ✅ Datafold CI run \d+ done/)
    expect(markdown).toContain("ANALYTICS.PR_45.DIFFERENT")
  })

  it("a production upload starts no run, so there is no report and no file", async () => {
    const own = await serverWith({ onDbtRun: [plan("different")] })
    const dir = emptyDir()
    const production = uploadAndWait.map((arg) => (arg === "pull_request" ? "production" : arg))
    const result = await runMain([...production, "--junit", "junit.xml", "--json"], { env: envFor(own), cwd: dir })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).not.toHaveProperty("report")
    expect(existsSync(join(dir, "junit.xml"))).toBe(false)
  })
})
