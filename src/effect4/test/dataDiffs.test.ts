/**
 * `DatafoldDataDiffs` on the Effect 4 entry, against the Effect 4 local server on loopback
 * (the same cases as the Effect 3 entry's `test/dataDiffs.test.ts`): every `summary_results`
 * variant (`done` and `success` alike), the run report (its numbers, failed diffs, a
 * listing that ignores the `ci_run_id` filter, a run with 1 000 diffs), paging, create
 * refusing bad input before sending, waits (their deadline on the `TestClock`), typed
 * errors for hostile answers, and the key kept out of every error.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { TestClock } from "effect/testing"
import { DatafoldClient, DatafoldDataDiffs } from "../index.ts"
import {
  clientLayerFor,
  dataDiffsLayerFor,
  Fault,
  type LocalDataDiffOptions,
  type LocalDatafoldServer,
  startLocalDatafoldServer
} from "../testing.ts"

const details = (pr: number) => ({
  pr_number: pr,
  pr_branch: `feature/${pr}`,
  base_branch: "main",
  pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
  base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
})

/** A server for one test, closed with the test's scope. */
const serverWith = (dataDiffs: LocalDataDiffOptions, extra: { readonly apiKey?: string } = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => startLocalDatafoldServer({ dataDiffs, ...extra })),
    (server) => Effect.promise(() => server.close())
  )

const diffsOn = (server: LocalDatafoldServer, options = {}) =>
  Effect.provide(DatafoldDataDiffs, dataDiffsLayerFor(server, { retryBase: "5 millis", ...options }))

const triggerOn = (server: LocalDatafoldServer, pr: number) =>
  Effect.flatMap(DatafoldClient, (client) => client.trigger(1, details(pr))).pipe(
    Effect.provide(clientLayerFor(server))
  )

const fast = { pollEvery: "5 millis", maxPollEvery: "20 millis", timeout: "20 seconds" } as const

describe("summary_results", () => {
  it.effect("every variant, with done and success both finished", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({
        onTrigger: [
          { outcome: "identical", statuses: ["pending", "running", "done"] },
          { outcome: "different", statuses: ["running", "success"] },
          { outcome: "crossDatabase", statuses: ["success"] },
          { outcome: "dependencies", statuses: ["done"] },
          { outcome: "failed", statuses: ["running", "done"] }
        ]
      })
      yield* triggerOn(server, 7)
      const diffs = yield* diffsOn(server)
      const looks = (id: number, n: number) =>
        Effect.forEach(Array.from({ length: n }), () => Effect.map(diffs.dataDiffResults(id), (s) => s._tag))
      expect(yield* looks(1, 3)).toEqual(["Running", "Running", "SameDatabaseDone"])
      expect(yield* looks(2, 2)).toEqual(["Running", "SameDatabaseDone"])
      expect(yield* looks(3, 1)).toEqual(["CrossDatabaseDone"])
      expect(yield* looks(4, 1)).toEqual(["DependenciesDone"])
      const failed = yield* diffs.dataDiffResults(5).pipe(Effect.andThen(diffs.dataDiffResults(5)))
      expect(failed).toMatchObject({ _tag: "Failed", error: { error_type: "TableNotFound", is_retryable: false } })
      const success = yield* diffs.dataDiffResults(2)
      expect(success).toMatchObject({ _tag: "SameDatabaseDone", status: "success" })
      if (success._tag !== "SameDatabaseDone") throw new Error("unreachable")
      expect(success.pks?.exclusives).toEqual([2, 5])
      expect(success.values?.columns_diff_stats.map((c) => c.column_name)).toEqual(["amount", "status", "customer_id"])
    }))

  it.live("a cancelled diff answers cancelled; cancelling a finished one changes nothing", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({ onTrigger: [{ statuses: ["running"] }, { statuses: ["done"] }] })
      yield* triggerOn(server, 7)
      const diffs = yield* diffsOn(server)
      expect(yield* diffs.cancelDataDiff(1)).toEqual({ id: 1, status: "cancelled" })
      expect((yield* diffs.dataDiffResults(1))._tag).toBe("Cancelled")
      expect((yield* diffs.getDataDiff(1)).status).toBe("cancelled")
      expect(yield* diffs.cancelDataDiff(2)).toEqual({ id: 2, status: "done" })
      const error = yield* Effect.flip(diffs.waitForDataDiff(1, fast))
      expect(error._tag).toBe("DatafoldDataDiffCancelledError")
    }))

  it.effect("a status no variant has, and a wrong shape, are typed response errors, not defects", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({ onTrigger: [{}] })
      yield* triggerOn(server, 7)
      const diffs = yield* diffsOn(server, { retries: 0 })
      server.inject(Fault.respond(200, '{"status": "exploded"}', { "content-type": "application/json" }), {
        endpoint: "dataDiffResults"
      })
      const unknown = yield* Effect.flip(diffs.dataDiffResults(1))
      expect(unknown._tag).toBe("DatafoldResponseError")
      expect(unknown.message).toContain("exploded")
      server.inject(
        Fault.respond(200, '{"status": "done", "pks": {"total_rows": "many"}}', { "content-type": "application/json" }),
        { endpoint: "dataDiffResults" }
      )
      expect((yield* Effect.flip(diffs.dataDiffResults(1)))._tag).toBe("DatafoldResponseError")
      server.inject(Fault.respond(200, '{"page": 1}', { "content-type": "application/json" }), {
        endpoint: "dataDiffList"
      })
      const page = yield* Effect.flip(Stream.runCollect(diffs.listDataDiffs()))
      expect(page._tag).toBe("DatafoldResponseError")
      expect((yield* Effect.flip(diffs.getDataDiff(999)))._tag).toBe("DatafoldNotFoundError")
    }))
})

describe("createDataDiff", () => {
  it.effect("refuses bad input before sending anything, naming each field", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({})
      const diffs = yield* diffsOn(server)
      const bad = [
        { data_source1_id: 1, data_source2_id: 1, table1: ["A", "B", "C"], query1: "select 1", table2: ["A"] },
        { data_source1_id: 1, data_source2_id: 1, table1: ["A"], table2: ["B"] },
        { data_source1_id: 1, data_source2_id: 1, table1: ["A"], table2: ["B"], pk_columns: ["ID"], infer_pk: true },
        { data_source1_id: 0, data_source2_id: 1, table1: ["A"], pk_columns: ["ID"] },
        { data_source1_id: 1, data_source2_id: 1, table1: [], table2: ["B"], pk_columns: ["ID"], sampling_ratio: 2 }
      ]
      const fields = yield* Effect.forEach(bad, (input) =>
        Effect.map(
          Effect.flip(diffs.createDataDiff(input as never)),
          (error) => error._tag === "DatafoldInputError" ? error.issues.map((issue) => issue.field) : [error._tag]
        ))
      expect(fields).toEqual([
        ["table1/query1", "pk_columns"],
        ["pk_columns"],
        ["pk_columns/infer_pk"],
        ["data_source1_id", "table2"],
        ["table1", "sampling_ratio"]
      ])
      expect(server.requests()).toEqual([])
      expect((yield* Effect.flip(diffs.getDataDiff(-3)))._tag).toBe("DatafoldInputError")
      expect(server.requests()).toEqual([])
    }))

  it.effect("creates a diff with exactly the fields given, and reads it back", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({})
      const diffs = yield* diffsOn(server)
      const created = yield* diffs.createDataDiff({
        data_source1_id: 3,
        data_source2_id: 3,
        table1: ["DB", "PROD", "ORDERS"],
        query2: "select * from DB.DEV.ORDERS",
        infer_pk: true,
        diff_tolerance: 0.01,
        filter1: undefined
      })
      expect(JSON.parse(server.requests()[0]!.body)).toEqual({
        data_source1_id: 3,
        data_source2_id: 3,
        table1: ["DB", "PROD", "ORDERS"],
        query2: "select * from DB.DEV.ORDERS",
        infer_pk: true,
        diff_tolerance: 0.01
      })
      expect(created).toMatchObject({ id: 1, kind: "in_db", status: "processing", table1: ["DB", "PROD", "ORDERS"] })
      expect((yield* diffs.getDataDiff(created.id)).query2).toBe("select * from DB.DEV.ORDERS")
    }))
})

describe("listDataDiffs", () => {
  it.effect("streams every page (4 pages of 2), with the spec's query parameters", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({ onTrigger: Array.from({ length: 7 }, () => ({})) })
      yield* triggerOn(server, 7)
      const diffs = yield* diffsOn(server)
      const all = yield* Stream.runCollect(diffs.listDataDiffs({ pageSize: 2, orderBy: "id", sortOrder: "desc" }))
      expect(all.map((diff) => diff.id)).toEqual([7, 6, 5, 4, 3, 2, 1])
      const pages = server.requests().filter((r) => r.endpoint === "dataDiffList").map((r) => r.url)
      expect(pages).toEqual(
        [1, 2, 3, 4].map((page) => `/api/v1/datadiffs?page=${page}&page_size=2&order_by=id&sort_order=desc`)
      )
      const refused = yield* Effect.flip(Stream.runCollect(diffs.listDataDiffs({ orderBy: "nope" as never })))
      expect(refused._tag).toBe("DatafoldInputError")
    }))
})

describe("runReport", () => {
  it.effect("keeps only the run's own diffs when the listing ignores the filter, with every number", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({
        ignoreCiRunIdFilter: true,
        onTrigger: [
          { outcome: "different", statuses: ["success"] },
          { outcome: "schema", statuses: ["done"] },
          { outcome: "failed", statuses: ["failed"] },
          { outcome: "identical", statuses: ["done"] }
        ]
      })
      const other = yield* triggerOn(server, 8)
      const job = yield* triggerOn(server, 9)
      const diffs = yield* diffsOn(server)
      const report = yield* diffs.runReport(1, job.ci_run_id!, { pageSize: 3 })
      expect(report.tables.map((t) => t.diffId)).toEqual([5, 6, 7, 8])
      expect(report.foreignDiffsSkipped).toBe(4)
      expect(report.counts).toEqual({ identical: 1, different: 2, failed: 1, cancelled: 0, running: 0 })
      const [different, schema, failed] = report.tables
      expect(different).toMatchObject({
        verdict: "different",
        link: `${server.url}/datadiffs/5/overview`,
        rows: { added: 5, removed: 2, updated: 17, unchanged: 981, total: [1000, 1003] },
        columns: [
          { name: "amount", matchPercent: 98.497, valuesDifferent: 15 },
          { name: "status", matchPercent: 99.499, valuesDifferent: 5 }
        ],
        table2: "ANALYTICS.PR_9.ORDERS_5"
      })
      expect(schema).toMatchObject({
        verdict: "different",
        columnsAdded: ["new_flag"],
        columnsRemoved: ["legacy_flag"],
        typeChanges: ["amount"]
      })
      expect(failed).toMatchObject({ verdict: "failed", error: { error_type: "TableNotFound" } })
      expect(report.tables.some((t) => other.ci_run_id === t.diffId)).toBe(false)
      // The filter was asked for, and each diff checked all the same.
      expect(server.requests().find((r) => r.endpoint === "dataDiffList")?.url).toContain(
        `ci_run_id=${job.ci_run_id}`
      )
    }))

  it.live("a run with 1 000 diffs, waited for", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({
        onTrigger: Array.from({ length: 1000 }, (_, i) => ({ outcome: i % 10 === 0 ? "identical" : "different" }))
      })
      const job = yield* triggerOn(server, 7)
      const diffs = yield* diffsOn(server)
      const report = yield* diffs.runReport(1, { id: job.ci_run_id! }, { wait: { ...fast, concurrency: 16 } })
      expect(report.tables).toHaveLength(1000)
      expect(report.counts).toMatchObject({ identical: 100, different: 900, running: 0 })
      expect(server.requests().filter((r) => r.endpoint === "dataDiffList")).toHaveLength(10)
    }), 60_000)

  it.live("diffs come with an upload of PR changes, one per table, with the outcomes asked for", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({ onUpload: ["identical", "failed"] })
      const job = yield* triggerOn(server, 7)
      yield* Effect.flatMap(DatafoldClient, (client) =>
        client.submitDiffs(1, 7, [
          { prod: "db.prod.a", pr: "db.pr.a", pk: ["id"] },
          { prod: "db.prod.b", pr: "db.pr.b", pk: ["id"] }
        ])).pipe(Effect.provide(clientLayerFor(server)))
      const diffs = yield* diffsOn(server)
      const report = yield* diffs.runReport(1, job.ci_run_id!, { wait: fast })
      expect(report.tables.map((t) => [t.table1, t.verdict])).toEqual([["db.prod.a", "identical"], [
        "db.prod.b",
        "failed"
      ]])
    }))
})

describe("waits", () => {
  it.live("waitForDataDiffs settles many diffs, failed ones as data; waitForDataDiff fails typed", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({
        onTrigger: [{ statuses: ["pending", "running", "success"] }, { outcome: "failed" }, {}]
      })
      yield* triggerOn(server, 7)
      const diffs = yield* diffsOn(server)
      const settled = yield* diffs.waitForDataDiffs([1, 2, 3], { ...fast, concurrency: 2 })
      expect(settled.map((s) => [s.diffId, s.summary._tag])).toEqual([
        [1, "SameDatabaseDone"],
        [2, "Failed"],
        [3, "SameDatabaseDone"]
      ])
      const failed = yield* Effect.flip(diffs.waitForDataDiff(2, fast))
      expect(failed).toMatchObject({ _tag: "DatafoldDataDiffFailedError", diffId: 2, errorType: "TableNotFound" })
      expect(failed.message).toContain(`${server.url}/datadiffs/2/overview`)
      const refused = yield* Effect.flip(diffs.waitForDataDiffs([1], { timeout: "0 seconds", concurrency: 0 }))
      expect(refused._tag === "DatafoldInputError" && refused.issues.map((i) => i.field)).toEqual([
        "timeout",
        "concurrency"
      ])
    }))

  it.effect("a diff still running at the timeout fails with its status, the last look on the deadline", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({ onTrigger: [{ statuses: ["running"] }] })
      yield* triggerOn(server, 7)
      // Attempts never time out on the test clock: only the wait's own deadline is measured.
      const diffs = yield* diffsOn(server, { timeout: "1 hour", deadline: "2 hours" })
      const fiber = yield* Effect.forkChild(
        Effect.flip(
          diffs.waitForDataDiff(1, { timeout: "10 seconds", pollEvery: "1 second", maxPollEvery: "4 seconds" })
        )
      )
      for (let step = 0; step < 2000 && fiber.pollUnsafe() === undefined; step++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 2)))
        yield* TestClock.adjust("250 millis")
      }
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "DatafoldDataDiffTimeoutError", status: "running", waitedMillis: 10_000 })
      // Looks at 0, 1, 2.5, 4.75, 8.75 s and on the deadline, 10 s.
      expect(server.requests().filter((r) => r.endpoint === "dataDiffResults")).toHaveLength(6)
    }))
})

describe("keys and errors", () => {
  it.effect("organizationMeta checks the key; a wrong key is an auth error", () =>
    Effect.gen(function* () {
      const server = yield* serverWith({ organizationName: "Acme Data" })
      expect((yield* (yield* diffsOn(server)).organizationMeta()).org_name).toBe("Acme Data")
      const wrong = yield* Effect.flip(
        Effect.flatMap(DatafoldDataDiffs, (d) => d.organizationMeta()).pipe(
          Effect.provide(dataDiffsLayerFor({ ...server, apiKey: Redacted.make("dfk_wrong_key_0123456789abcdef") }))
        )
      )
      expect(wrong._tag).toBe("DatafoldAuthError")
      expect(server.requests().at(-1)?.headers["authorization"]).toBe("Key dfk_wrong_key_0123456789abcdef")
    }))

  it.effect("a key the server echoes appears in no error", () =>
    Effect.gen(function* () {
      const key = "dfk_test_echo_0123456789abcdef0123456789"
      const server = yield* serverWith({ onTrigger: [{}] }, { apiKey: key })
      yield* triggerOn(server, 7)
      const diffs = yield* diffsOn(server, { retries: 0 })
      const echoes = [
        Fault.respond(500, JSON.stringify({ detail: `key ${key} rejected` }), { "content-type": "application/json" }),
        Fault.respond(403, JSON.stringify({ detail: `Key ${key}` }), { "content-type": "application/json" }),
        Fault.respond(200, `{"status": "${key}"}`, { "content-type": "application/json" })
      ]
      for (const fault of echoes) {
        server.inject(fault, { endpoint: "dataDiffResults" })
        const error = yield* Effect.flip(diffs.dataDiffResults(1))
        const seen = `${error.message} ${JSON.stringify(error)} ${String(error)}`
        expect(seen).not.toContain(key)
        expect(seen).not.toContain(key.slice(8))
      }
    }))
})
