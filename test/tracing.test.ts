/**
 * Each call is a span with the config id, PR number, attempt count and outcome, never
 * the key; retries are logged at debug level with the attempt and the reason.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { listCiRuns, triggerCiRun } from "../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details, fastClient } from "./support/fixtures.ts"
import { observed } from "./support/recording.ts"

let server: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

describe("tracing", () => {
  it.live("a successful trigger: one span with id, PR number, one attempt and the outcome", () =>
    Effect.gen(function* () {
      const { spans } = yield* observed(triggerCiRun(9, details).pipe(Effect.provide(fastClient(server))))
      const span = spans.find((s) => s.name === "DatafoldClient.trigger")
      expect(span?.ended).toBe(true)
      expect(Object.fromEntries(span?.attributes ?? [])).toMatchObject({
        "datafold.ci_config_id": 9,
        "datafold.pr_number": 42,
        "datafold.attempts": 1,
        "datafold.outcome": "triggered",
        "datafold.ci_run_id": 1
      })
      expect(spans.filter((s) => s.name === "DatafoldClient.http POST")).toHaveLength(1)
    }))

  it.live("retries: attempts counted on the span, each retry logged at debug with its reason", () =>
    Effect.gen(function* () {
      server.inject(Fault.serverError(503), { times: 2 })
      const { lines, spans } = yield* observed(triggerCiRun(9, details).pipe(Effect.provide(fastClient(server))))
      const span = spans.find((s) => s.name === "DatafoldClient.trigger")
      expect(span?.attributes.get("datafold.attempts")).toBe(3)
      expect(spans.filter((s) => s.name === "DatafoldClient.http POST")).toHaveLength(3)
      const retries = lines.filter((line) => line.includes("retrying"))
      expect(retries).toHaveLength(2)
      expect(retries[0]).toContain("level=DEBUG")
      expect(retries[0]).toContain("datafold.retry=1")
      expect(retries[1]).toContain("datafold.retry=2")
      expect(retries[0]).toContain("DatafoldServerError(503)")
    }))

  it.live("a failure: the outcome is the error's tag", () =>
    Effect.gen(function* () {
      server.inject(Fault.notFound())
      const { spans } = yield* observed(Effect.exit(triggerCiRun(9, details).pipe(Effect.provide(fastClient(server)))))
      const span = spans.find((s) => s.name === "DatafoldClient.trigger")
      expect(span?.attributes.get("datafold.outcome")).toBe("DatafoldNotFoundError")
      expect(span?.attributes.get("datafold.attempts")).toBe(1)
    }))

  it.live("listing runs is a span of its own", () =>
    Effect.gen(function* () {
      yield* triggerCiRun(9, details).pipe(Effect.provide(fastClient(server)))
      const { spans, value: runs } = yield* observed(
        listCiRuns(9, { prSha: details.pr_sha, prNumber: 42 }).pipe(Effect.provide(fastClient(server)))
      )
      expect(runs.map((run) => run.pr_num)).toStrictEqual(["42"])
      expect(spans.find((s) => s.name === "DatafoldClient.listRuns")?.attributes.get("datafold.ci_config_id")).toBe(9)
    }))
})
