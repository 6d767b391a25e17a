/**
 * `datafold-ci results` against the local server on loopback: a triggered run whose
 * diffs end in every outcome, read back table by table; every gate of `--fail-on` and
 * its exit 12; bad gates refused before a request; a listing that ignores the run
 * filter; the JUnit file read by an independent parser; the step summary.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { LocalDataDiffOutcome } from "../../src/testing.ts"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, factFlags, PR_SHA, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

const servers: Array<LocalDatafoldServer> = []
const dirs: Array<string> = []
afterAll(async () => {
  await Promise.all(servers.map((own) => own.close()))
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  removeTempDirs()
})

const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "datafold-results-"))
  dirs.push(dir)
  return dir
}

/** A server whose triggered runs get one diff per outcome, tables named after them. */
const serverWith = async (
  outcomes: ReadonlyArray<LocalDataDiffOutcome>,
  extra: { readonly ignoreCiRunIdFilter?: boolean } = {},
  runStatuses?: ReadonlyArray<string>
) => {
  const own = await startLocalDatafoldServer({
    apiKey: API_KEY,
    ciConfigIds: [7],
    ...(runStatuses === undefined ? {} : { runStatuses }),
    dataDiffs: {
      onTrigger: outcomes.map((outcome) => ({
        table1: ["ANALYTICS", "PROD", outcome.toUpperCase()],
        table2: ["ANALYTICS", "PR_45", outcome.toUpperCase()],
        outcome
      })),
      ...extra
    }
  })
  servers.push(own)
  return own
}

const envFor = (target: LocalDatafoldServer, more: Record<string, string> = {}) => ({
  DATAFOLD_API_KEY: API_KEY,
  DATAFOLD_HOST: target.url,
  ...more
})

const connection = ["--ci-config-id", "7", "--poll-interval", "0.01"]

/** Triggers a run for the PR (the flags' facts) and returns its id. */
const triggerRun = async (target: LocalDatafoldServer, facts: ReadonlyArray<string> = factFlags) => {
  const result = await runMain(["trigger", "--ci-config-id", "7", ...facts, "--json"], { env: envFor(target) })
  expect(result.code, result.stderr).toBe(0)
  return (JSON.parse(result.stdout) as { ci_run_id: number }).ci_run_id
}

const results = (target: LocalDatafoldServer, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  runMain(["results", ...connection, ...factFlags, ...args], { env: envFor(target, env) })

describe("datafold-ci results", () => {
  it("prints one line per table with its verdict, rows, columns and link, and exits 0 without --fail-on", async () => {
    const own = await serverWith(["identical", "different", "schema", "failed"])
    await triggerRun(own)
    const result = await results(own, [])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^CI run 1: 4 tables diffed, 2 different, 1 identical, 1 failed\./)
    const line = (table: string) => result.stdout.split("\n").find((text) => text.startsWith(table)) ?? ""
    expect(line("ANALYTICS.PR_45.IDENTICAL")).toMatch(/identical/)
    expect(line("ANALYTICS.PR_45.DIFFERENT")).toMatch(/different\s+\+\d+ -\d+ ~\d+\s+\S+ \d+(\.\d+)?%/)
    expect(line("ANALYTICS.PR_45.FAILED")).toMatch(/failed \(/)
    expect(line("ANALYTICS.PR_45.DIFFERENT")).toContain(`${own.url}/datadiffs/`)
    expect(result.stdout).not.toMatch(/--fail-on/)
  })

  const gateCases: ReadonlyArray<readonly [gate: string, outcome: LocalDataDiffOutcome, why: RegExp]> = [
    ["different", "different", /rows added|rows updated|different values/],
    ["schema", "schema", /columns (added|removed)|types changed/],
    ["error", "failed", /the diff failed/],
    ["missing-pks", "missingPks", /primary key/],
    ["duplicate-pks", "duplicatePks", /duplicate primary keys/]
  ]
  for (const [gate, outcome, why] of gateCases) {
    it(`--fail-on ${gate}: a ${outcome} table trips it (exit 12, the table named with why); an identical one does not`, async () => {
      const own = await serverWith([outcome, "identical"])
      await triggerRun(own)
      const tripped = await results(own, ["--fail-on", gate])
      expect(tripped.code, tripped.stderr).toBe(12)
      const lines = tripped.stdout.split("\n").filter((text) => text.startsWith(`--fail-on ${gate}:`))
      expect(lines).toHaveLength(1)
      expect(lines[0]).toContain(`ANALYTICS.PR_45.${outcome.toUpperCase()}`)
      expect(lines[0]).toMatch(why)

      const clean = await serverWith(["identical"])
      await triggerRun(clean)
      const passed = await results(clean, ["--fail-on", gate])
      expect(passed.code, passed.stdout + passed.stderr).toBe(0)
    })
  }

  it("--fail-on with an unknown gate is refused before anything is sent (exit 2, the gates listed)", async () => {
    const own = await serverWith(["different"])
    for (const list of ["bogus", "different,scheme", ","]) {
      const result = await results(own, ["--fail-on", list])
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr).toMatch(/--fail-on .* is invalid: .*The gates are different, schema, error/)
    }
    expect(own.requests()).toHaveLength(0)
  })

  it("leaves out another run's diffs when the listing ignores the ci_run_id filter", async () => {
    const own = await serverWith(["different", "different"], { ignoreCiRunIdFilter: true })
    await triggerRun(own, factFlags.map((flag) => (flag === "45" ? "44" : flag === PR_SHA ? "ab".repeat(20) : flag)))
    await triggerRun(own)
    const result = await results(own, ["--json"])
    expect(result.code, result.stderr).toBe(0)
    const report = JSON.parse(result.stdout) as {
      ci_run_id: number
      tables: ReadonlyArray<{ diff_id: number }>
      foreign_diffs_skipped: number
    }
    expect(report.ci_run_id).toBe(2)
    expect(report.tables.map((table) => table.diff_id)).toEqual([3, 4])
    expect(report.foreign_diffs_skipped).toBe(2)
  })

  it("--run-id reads that run; --json is one object with the gates and what tripped", async () => {
    const own = await serverWith(["schema"])
    const runId = await triggerRun(own)
    const result = await runMain(
      ["results", ...connection, "--run-id", String(runId), "--fail-on", "schema,different", "--json"],
      { env: envFor(own) }
    )
    expect(result.code, result.stderr).toBe(12)
    const json = JSON.parse(result.stdout) as Record<string, unknown>
    expect(json).toMatchObject({ ok: true, ci_config_id: 7, ci_run_id: runId, fail_on: ["different", "schema"] })
    expect((json.tripped as ReadonlyArray<{ gate: string }>).map((trip) => trip.gate)).toContain("schema")
  })

  it("no run of the PR's commit listed: exit 10, saying to trigger first, wait or pass --run-id", async () => {
    const own = await serverWith(["different"])
    const result = await results(own, [])
    expect(result.code, result.stderr).toBe(10)
    expect(result.stderr).toMatch(/No Datafold CI run found for PR #45 at commit 0123456 .*--wait.*--run-id/)
  })

  it("--wait waits for the run first, then reports it", async () => {
    const own = await serverWith(["different"], {}, ["running", "done"])
    await triggerRun(own)
    const result = await results(own, ["--wait"])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/Datafold CI run 1 is done/)
    expect(result.stdout).toMatch(/^CI run 1: 1 table diffed, 1 different/)
  })

  it("--junit writes JUnit XML that an independent parser reads: a case per table, trips as failures, failed diffs as errors", async () => {
    const own = await serverWith(["different", "identical", "failed"])
    await triggerRun(own)
    const dir = scratch()
    const result = await runMain(
      [
        "results",
        ...connection,
        ...factFlags,
        "--fail-on",
        "different",
        "--junit",
        "reports/datafold.xml",
        "--markdown",
        "reports/datafold.md"
      ],
      { env: envFor(own), cwd: dir }
    )
    expect(result.code, result.stderr).toBe(12)
    const parsed = execFileSync("python3", [
      "-c",
      [
        "import json, sys, xml.etree.ElementTree as ET",
        "root = ET.parse(sys.argv[1]).getroot()",
        "cases = root.findall('./testsuite/testcase')",
        "print(json.dumps({'tests': root.get('tests'), 'failures': root.get('failures'), 'errors': root.get('errors'),",
        "  'cases': [[c.get('name'), [child.tag for child in c]] for c in cases]}))"
      ].join("\n"),
      join(dir, "reports/datafold.xml")
    ], { encoding: "utf8" })
    expect(JSON.parse(parsed)).toEqual({
      tests: "3",
      failures: "1",
      errors: "1",
      cases: [
        ["ANALYTICS.PR_45.DIFFERENT", ["failure"]],
        ["ANALYTICS.PR_45.IDENTICAL", ["system-out"]],
        ["ANALYTICS.PR_45.FAILED", ["error"]]
      ]
    })
    const markdown = readFileSync(join(dir, "reports/datafold.md"), "utf8")
    expect(markdown).toMatch(/^### Datafold: CI run 1: 3 tables diffed/)
    expect(markdown).toMatch(
      /\| `ANALYTICS\.PR_45\.DIFFERENT` \|.*\[diff \d+\]\(http:\/\/127\.0\.0\.1:\d+\/datadiffs\/\d+\/overview\)/
    )
    expect(markdown).toMatch(/Gates tripped/)
  })

  it("a report file that cannot be written is a typed failure (exit 2) naming the flag", async () => {
    const own = await serverWith(["identical"])
    await triggerRun(own)
    const dir = scratch()
    execFileSync("touch", [join(dir, "taken")])
    const result = await runMain(["results", ...connection, ...factFlags, "--junit", "taken/report.xml"], {
      env: envFor(own),
      cwd: dir
    })
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/Could not write --junit .*taken\/report\.xml/)
  })

  it("on GitHub Actions, appends the report as a Markdown table to the step summary", async () => {
    const own = await serverWith(["different", "identical"])
    await triggerRun(own)
    const summary = join(scratch(), "summary.md")
    const result = await results(own, [], { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary })
    expect(result.code, result.stderr).toBe(0)
    const text = readFileSync(summary, "utf8")
    expect(text).toMatch(/\| Table \| Verdict \| Rows \(\+ − ~\) \| Columns \| Link \|/)
    expect(text).toContain("`ANALYTICS.PR_45.DIFFERENT`")
  })
})
