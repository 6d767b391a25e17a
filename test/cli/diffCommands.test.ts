/**
 * `datafold-ci diff create|wait|show|list|cancel` against the local server on loopback:
 * the body `create` sends from its flags and `--body`, every kind of bad input refused
 * before any request (exit 2), the report `--wait` and `diff wait` print with their
 * gates (exit 12) and files, a diff that does not finish in time (exit 10), a listing
 * whose filters the server ignores, and cancelling a running and an ended diff.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import type { LocalDataDiffOptions } from "../../src/testing.ts"
import { API_KEY, emptyDir, factFlags, onlyJson, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

const servers: Array<LocalDatafoldServer> = []
afterAll(async () => {
  await Promise.all(servers.map((own) => own.close()))
  removeTempDirs()
})

const server = async (dataDiffs: LocalDataDiffOptions = {}) => {
  const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], runStatuses: ["done"], dataDiffs })
  servers.push(own)
  return own
}

const envFor = (target: LocalDatafoldServer, more: Record<string, string> = {}) => ({
  DATAFOLD_API_KEY: API_KEY,
  DATAFOLD_HOST: target.url,
  ...more
})

const fast = ["--poll-interval", "0.01"]

/** The body of the one `POST /api/v1/datadiffs` the server received, as sent. */
const sentBody = (own: LocalDatafoldServer): Record<string, unknown> => {
  const posts = own.requests().filter((request) => request.method === "POST" && request.url === "/api/v1/datadiffs")
  expect(posts).toHaveLength(1)
  return JSON.parse(posts[0]?.body ?? "{}")
}
const sides = ["--data-source-id", "3", "--table1", "DB.PROD.ORDERS", "--table2", "DB.PR_45.ORDERS"]

const diff = (target: LocalDatafoldServer, args: ReadonlyArray<string>, options: { cwd?: string } = {}) =>
  runMain(["diff", ...args], { env: envFor(target), ...options })

describe("diff create", () => {
  it("sends the body its flags make, and prints the diff's id and link", async () => {
    const own = await server()
    const result = await diff(own, [
      "create",
      "--data-source1-id",
      "3",
      "--data-source2-id",
      "4",
      "--table1",
      "DB.PROD.ORDERS",
      "--query2",
      "select * from orders",
      "--pk",
      "ID",
      "--pk",
      "REGION",
      "--include-column",
      "AMOUNT",
      "--exclude-column",
      "UPDATED_AT",
      "--filter1",
      "REGION = 'EU'",
      "--diff-tolerance",
      "0.001"
    ])
    expect(result.code, result.stderr).toBe(0)
    expect(own.dataDiffs()).toHaveLength(1)
    const sent = own.dataDiffs()[0] ?? {}
    expect(sent).toMatchObject({
      data_source1_id: 3,
      data_source2_id: 4,
      table1: ["DB", "PROD", "ORDERS"],
      query2: "select * from orders",
      pk_columns: ["ID", "REGION"],
      include_columns: ["AMOUNT"],
      exclude_columns: ["UPDATED_AT"],
      filter1: "REGION = 'EU'",
      diff_tolerance: 0.001
    })
    expect(result.stdout).toMatch(/^Created data diff 1 \(\w+\): http:\/\/127\.0\.0\.1:\d+\/datadiffs\/1\/overview\n/)
    expect(result.stdout).toContain("datafold-ci diff wait 1")
  })

  it("reads --body FILE, and a flag that gives a side or the key replaces every way the body gave it", async () => {
    const own = await server()
    const dir = emptyDir()
    writeFileSync(
      join(dir, "diff.json"),
      JSON.stringify({
        data_source1_id: 9,
        data_source2_id: 9,
        query1: "select 1",
        table2: ["DB", "PR", "T"],
        infer_pk: true,
        sampling_tolerance: 0.5
      })
    )
    const result = await diff(own, ["create", "--body", "diff.json", "--table1", "DB.PROD.T", "--pk", "ID", "--json"], {
      cwd: dir
    })
    expect(result.code, result.stderr).toBe(0)
    const sent = sentBody(own)
    expect(sent["table1"]).toEqual(["DB", "PROD", "T"])
    expect(sent["query1"]).toBeUndefined()
    expect(sent["infer_pk"]).toBeUndefined()
    expect(sent["pk_columns"]).toEqual(["ID"])
    expect(sent["sampling_tolerance"]).toBe(0.5)
    expect(onlyJson(result.stdout)).toMatchObject({ ok: true, diff_id: 1, link: `${own.url}/datadiffs/1/overview` })
  })

  const refused: ReadonlyArray<readonly [string, ReadonlyArray<string>, RegExp]> = [
    ["no data source", ["--table1", "A.B.C", "--table2", "A.B.D", "--pk", "ID"], /--data-source1-id .* is missing/],
    ["no side 2", ["--data-source-id", "3", "--table1", "A.B.C", "--pk", "ID"], /side 2 needs --table2/],
    ["no key", [...sides], /the primary key is missing: give --pk COL/],
    ["--pk and --infer-pk", [...sides, "--pk", "ID", "--infer-pk"], /--pk COL or --infer-pk, not both/],
    ["a table and a query for one side", [...sides, "--query1", "select 1", "--pk", "ID"], /--table1 or --query1/],
    [
      "a table path with an empty part",
      ["--data-source-id", "3", "--table1", "DB..T", "--table2", "A.B", "--pk", "I"],
      /no empty part/
    ],
    [
      "a data source id that is not a number",
      ["--data-source-id", "x", "--table1", "A", "--table2", "B", "--pk", "I"],
      /--data-source-id "x" is invalid/
    ],
    ["both ways of giving data sources", [...sides, "--data-source1-id", "4", "--pk", "ID"], /not both ways/],
    [
      "a tolerance that is not a number",
      [...sides, "--pk", "ID", "--diff-tolerance", "lots"],
      /--diff-tolerance "lots" is invalid/
    ],
    ["a report flag without --wait", [...sides, "--pk", "ID", "--fail-on", "different"], /--fail-on needs --wait/],
    ["an unknown gate", [...sides, "--pk", "ID", "--wait", "--fail-on", "bad"], /"bad" is not a gate/],
    [
      "a missing body file",
      [...sides, "--pk", "ID", "--body", "nope.json"],
      /--body nope\.json: cannot read it: the file does not exist/
    ]
  ]
  for (const [what, args, message] of refused) {
    it(`refuses ${what} with exit 2, before any request`, async () => {
      const own = await server()
      const result = await diff(own, ["create", ...args])
      expect(result.code, result.stdout).toBe(2)
      expect(result.stderr).toMatch(message)
      if (!args.includes("--body")) expect(result.stderr).toContain("datafold-ci diff create --help")
      expect(own.requests()).toHaveLength(0)
    })
  }

  it("refuses a body that is not one JSON object, and one whose fields are wrong, naming them", async () => {
    const own = await server()
    const dir = emptyDir()
    writeFileSync(join(dir, "list.json"), "[1, 2]")
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({ ...{ data_source1_id: 1, data_source2_id: 1 }, sampling_ratio: 3 })
    )
    const list = await diff(own, ["create", "--body", "list.json"], { cwd: dir })
    expect(list.code).toBe(2)
    expect(list.stderr).toContain("it is JSON but not an object (an array)")
    const bad = await diff(own, ["create", "--body", "bad.json", "--table1", "A.B", "--table2", "A.C", "--pk", "ID"], {
      cwd: dir
    })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(`"sampling_ratio" of --body must be between 0 and 1`)
    expect(own.requests()).toHaveLength(0)
  })

  it("--dry-run prints the body and sends nothing, without a key", async () => {
    const own = await server()
    const result = await runMain(["diff", "create", ...sides, "--infer-pk", "--dry-run", "--json"], {
      env: { DATAFOLD_HOST: own.url }
    })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({
      dry_run: true,
      request: {
        method: "POST",
        path: "/api/v1/datadiffs",
        body: { infer_pk: true, table2: ["DB", "PR_45", "ORDERS"] }
      }
    })
    expect(own.requests()).toHaveLength(0)
  })

  it("--wait prints what the diff found; --fail-on different exits 12 and --junit writes the file", async () => {
    const own = await server({ summaryStatuses: ["running", "done"] })
    const dir = emptyDir()
    const result = await diff(own, [
      "create",
      ...sides,
      "--pk",
      "ID",
      "--wait",
      ...fast,
      "--fail-on",
      "different",
      "--junit",
      "out/diff.xml"
    ], {
      cwd: dir
    })
    expect(result.code, result.stderr).toBe(12)
    expect(result.stdout).toMatch(/^data diff 1: 1 table diffed, 1 different, 0 identical\./)
    expect(result.stdout).toContain("--fail-on different: DB.PR_45.ORDERS (diff 1)")
    expect(readFileSync(join(dir, "out/diff.xml"), "utf8")).toContain("<testcase")
  })
})

describe("diff wait, show, list and cancel", () => {
  const created = async (own: LocalDatafoldServer, n: number) => {
    for (let i = 0; i < n; i++) {
      const result = await diff(own, ["create", ...sides, "--pk", "ID"])
      expect(result.code, result.stderr).toBe(0)
    }
  }

  it("diff wait reports every diff once all have ended, a failed one as a line, gated by --fail-on error", async () => {
    const own = await server({ summaryStatuses: ["running", "failed"] })
    await created(own, 2)
    const plain = await diff(own, ["wait", "1", "2", "1", ...fast, "--json"])
    expect(plain.code, plain.stderr).toBe(0)
    const json = onlyJson(plain.stdout)
    expect(json["counts"]).toMatchObject({ failed: 2 })
    expect(json["tables"] as ReadonlyArray<unknown>).toHaveLength(2)
    const gated = await diff(own, ["wait", "2", ...fast, "--fail-on", "error"])
    expect(gated.code, gated.stderr).toBe(12)
    expect(gated.stdout).toMatch(/^data diff 2: 1 table diffed/)
  })

  it("diff wait exits 10 when a diff does not end in time", async () => {
    const own = await server({ summaryStatuses: ["running"] })
    await created(own, 1)
    const result = await diff(own, ["wait", "1", "--poll-interval", "0.01", "--wait-timeout", "0.002"])
    expect(result.code, result.stdout).toBe(10)
  })

  it("diff wait and show refuse ids that are not ids, before any request", async () => {
    const own = await server()
    for (const args of [["wait"], ["wait", "1", "x"], ["show"], ["show", "1", "2"], ["cancel", "0"]]) {
      const result = await diff(own, args)
      expect(result.code, args.join(" ")).toBe(2)
    }
    expect(own.requests()).toHaveLength(0)
  })

  it("diff show prints a diff as it stands, running or done", async () => {
    const own = await server({ summaryStatuses: ["running", "running", "done"] })
    await created(own, 1)
    const running = await diff(own, ["show", "1"])
    expect(running.code, running.stderr).toBe(0)
    expect(running.stdout).toMatch(/data diff 1: .*1 still running/)
    expect(running.stdout).toMatch(/key\s+ID/)
    const done = await diff(own, ["show", "1", "--json"])
    expect(onlyJson(done.stdout)).toMatchObject({ ok: true, diff: { id: 1, pk_columns: ["ID"] } })
  })

  it("diff list gives the newest first, up to --limit, and checks --status itself", async () => {
    const own = await server()
    await created(own, 3)
    const result = await diff(own, ["list", "--limit", "2", "--json"])
    expect(result.code, result.stderr).toBe(0)
    const json = onlyJson(result.stdout)
    expect((json["diffs"] as ReadonlyArray<{ id: number }>).map((d) => d.id)).toEqual([3, 2])
    const text = await diff(own, ["list"])
    expect(text.stdout).toMatch(/^3 data diffs, newest first\.\nID\s+STATUS/)
    const newest = await diff(own, ["list", "--limit", "1"])
    expect(newest.stdout).toMatch(/^The newest data diff \(--limit 1; raise it for more\)\.\nID\s+STATUS/)
    const bad = await diff(own, ["list", "--status", "finished"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("the statuses are needs_confirmation")
  })

  it("diff list --ci-run-id shows only that run's diffs when the server ignores the filter", async () => {
    const own = await server({
      onTrigger: [{ outcome: "different" }, { outcome: "identical" }],
      ignoreCiRunIdFilter: true
    })
    for (let i = 0; i < 2; i++) {
      const trigger = await runMain(["trigger", "--ci-config-id", "7", ...factFlags], { env: envFor(own) })
      expect(trigger.code, trigger.stderr).toBe(0)
    }
    const runs = own.runs()
    const first = runs[0]?.id
    const result = await diff(own, ["list", "--ci-run-id", String(first), "--json"])
    expect(result.code, result.stderr).toBe(0)
    const json = onlyJson(result.stdout)
    const listed = json["diffs"] as ReadonlyArray<{ ci_run_id: number }>
    expect(listed).toHaveLength(2)
    expect(listed.every((d) => d.ci_run_id === first)).toBe(true)
    expect(json["left_out"]).toBe(2)
  })

  it("diff cancel cancels a running diff, and says when a diff had already ended", async () => {
    const own = await server({ summaryStatuses: ["running"] })
    await created(own, 1)
    const cancel = await diff(own, ["cancel", "1"])
    expect(cancel.code, cancel.stderr).toBe(0)
    expect(cancel.stdout).toMatch(/^Cancelled data diff 1: /)
    const ended = await server({ summaryStatuses: ["done"] })
    await created(ended, 1)
    await diff(ended, ["wait", "1", ...fast])
    const again = await diff(ended, ["cancel", "1", "--json"])
    expect(onlyJson(again.stdout)).toMatchObject({ ok: true, diff_id: 1, cancelled: false })
  })
})
