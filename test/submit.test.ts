/**
 * Upload PR/MR changes through the client, against the local server over loopback:
 * the diffs attached to the waiting run, the typed outcome when none waits, input
 * refused before sending, and the retry policy (only what surely did not arrive).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { type CiDiffInput, type DatafoldClientOptions, submitCiDiffs, triggerCiRun } from "../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details, fastClient, plain } from "./support/fixtures.ts"
import { observed } from "./support/recording.ts"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

const diffs: ReadonlyArray<CiDiffInput> = [
  { prod: "analytics.prod.orders", pr: "analytics.pr_42.orders", pk: ["id"], exclude_columns: ["updated_at"] }
]
type Options = Omit<DatafoldClientOptions, "apiKey" | "host">
const submit = (options: Options = {}, input: ReadonlyArray<CiDiffInput> = diffs) =>
  submitCiDiffs(7, 42, input).pipe(Effect.provide(fastClient(server, options)))
const triggered = Effect.promise(() =>
  Effect.runPromise(triggerCiRun(7, details).pipe(Effect.provide(fastClient(server))))
)
const uploads = () => server.requests().filter((request) => request.endpoint === "upload")

describe("submitDiffs", () => {
  it.live("attaches the diffs to the run waiting for the PR, defaults written out", () =>
    Effect.gen(function* () {
      const run = yield* triggered
      const job = yield* submit()
      expect(job).toMatchObject({ ci_run_id: run.ci_run_id, run_id: run.run_id })
      expect(uploads()).toHaveLength(1)
      expect(uploads()[0]?.url).toBe("/api/v1/ci/7/42")
      expect(JSON.parse(uploads()[0]?.body ?? "")).toStrictEqual([{ ...diffs[0], include_columns: [] }])
      expect(server.uploads()).toMatchObject([{ ciConfigId: 7, prNumber: 42, ciRunId: run.ci_run_id }])
    }))

  it.live("no run waiting (a 404): DatafoldNoRunWaitingError saying to trigger first, not retried", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(submit())
      expect(plain(error)).toMatchObject({
        _tag: "DatafoldNoRunWaitingError",
        ciConfigId: 7,
        prNumber: 42,
        status: 404
      })
      expect(error.message).toContain("Trigger a run first")
      expect(uploads()).toHaveLength(1)
    }))

  it.live("no run waiting (200 with null ids, or another 4xx): the same typed outcome", () =>
    Effect.gen(function* () {
      server.inject(Fault.respond(200, `{"ci_run_id":null,"run_id":null}`, { "content-type": "application/json" }), {
        endpoint: "upload"
      })
      expect(plain(yield* Effect.flip(submit()))).toMatchObject({ _tag: "DatafoldNoRunWaitingError", status: 200 })
      server.inject(Fault.respond(409, `{"detail":"no CI run for this PR"}`, { "content-type": "application/json" }), {
        endpoint: "upload"
      })
      const conflict = yield* Effect.flip(submit())
      expect(plain(conflict)).toMatchObject({ _tag: "DatafoldNoRunWaitingError", status: 409 })
      expect(conflict.message).toContain("no CI run for this PR")
    }))

  it.live("bad input is refused before sending: no diffs, blank paths, repeated key columns", () =>
    Effect.gen(function* () {
      const empty = yield* Effect.flip(submit({}, []))
      expect(plain(empty)).toMatchObject({ _tag: "DatafoldInputError", issues: [{ field: "diffs" }] })
      const bad = yield* Effect.flip(submit({}, [{ prod: "", pr: "x", pk: ["id", "id"] }]))
      expect(plain(bad)).toMatchObject({
        _tag: "DatafoldInputError",
        issues: [{ field: "diffs.0.prod" }, { field: "diffs.0.pk" }]
      })
      expect(server.requests()).toHaveLength(0)
    }))

  it.live("the key, the content and the rate keep their own errors", () =>
    Effect.gen(function* () {
      server.inject(Fault.forbidden(), { endpoint: "upload" })
      expect(plain(yield* Effect.flip(submit()))).toMatchObject({ _tag: "DatafoldAuthError", status: 403 })
      server.inject(
        Fault.validation([{ loc: ["body", 0, "pk"], msg: "Input should be a valid set", type: "set_type" }]),
        {
          endpoint: "upload"
        }
      )
      expect(plain(yield* Effect.flip(submit()))).toMatchObject({ _tag: "DatafoldValidationError" })
    }))
})

describe("submitDiffs retries only what surely did not arrive", () => {
  it.live("503 and 429 are retried, then the upload succeeds once", () =>
    Effect.gen(function* () {
      yield* triggered
      server.inject(Fault.serverError(503), { endpoint: "upload" })
      server.inject(Fault.rateLimited(0), { endpoint: "upload" })
      yield* submit({ retries: 3 })
      expect(uploads()).toHaveLength(3)
      expect(server.uploads()).toHaveLength(1)
    }))

  it.live("connection refused is retried up to the limit", () =>
    Effect.gen(function* () {
      const closed = yield* Effect.promise(() => startLocalDatafoldServer())
      yield* Effect.promise(() => closed.close())
      const { lines, value: error } = yield* observed(Effect.flip(
        submitCiDiffs(7, 42, diffs).pipe(Effect.provide(fastClient(closed, { retries: 2 })))
      ))
      expect(plain(error)).toMatchObject({ _tag: "DatafoldNetworkError", reason: "ConnectionRefused" })
      expect(lines.filter((line) => line.includes("DatafoldClient.submitDiffs: retrying"))).toHaveLength(2)
    }))

  for (
    const [name, fault, tag] of [
      ["502 (a gateway may have lost the answer)", Fault.serverError(502), "DatafoldServerError"],
      ["504", Fault.serverError(504), "DatafoldServerError"],
      ["500", Fault.serverError(500), "DatafoldServerError"],
      ["an answer lost after Datafold attached the diffs", Fault.loseAnswer(), "DatafoldNetworkError"]
    ] as const
  ) {
    it.live(`${name}: not retried, one upload sent`, () =>
      Effect.gen(function* () {
        yield* triggered
        server.inject(fault, { endpoint: "upload" })
        expect(plain(yield* Effect.flip(submit({ retries: 3 })))).toMatchObject({ _tag: tag })
        expect(uploads()).toHaveLength(1)
      }))
  }

  it.live("a timeout after sending: not retried", () =>
    Effect.gen(function* () {
      yield* triggered
      server.inject(Fault.slow(3_000), { endpoint: "upload" })
      const error = yield* Effect.flip(submit({ retries: 3, timeout: "300 millis" }))
      expect(plain(error)).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
      expect(uploads()).toHaveLength(1)
    }))
})
