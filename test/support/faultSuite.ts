/**
 * The fault suite on the Effect 3 entry, over real loopback HTTP, for one transport at a
 * time (`test/faults/*.test.ts`, a file per transport of `transports.ts`). Its cases are
 * the shared fault table (`faultTable.ts`: server behaviour → tag, fields, requests seen, runs created),
 * which `src/effect4/test/faultTable.test.ts` runs on the Effect 4 entry too. Below the
 * table: the cases that also watch logs and spans, or make more than one call.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Redacted } from "effect"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { type DatafoldClientOptions, triggerCiRun } from "../../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { type Call, type Harness, startHarness } from "./faultHarness.ts"
import { faultTable } from "./faultTable.ts"
import { details, fastClient, plain } from "./fixtures.ts"
import { observed } from "./recording.ts"
import type { Transport } from "./transports.ts"
import { clientLayer } from "../../src/DatafoldHttpClient.ts"

/** One trigger through the Effect 3 entry over `transport`, as the table's runner needs it. */
const callOver = (transport: Transport): Call => ({ apiKey, ...options }, rowDetails) =>
  Effect.runPromise(
    triggerCiRun(7, rowDetails).pipe(
      Effect.match({
        onFailure: (error) => ({
          outcome: error._tag as string,
          value: { ...JSON.parse(JSON.stringify(error)), message: error.message }
        }),
        onSuccess: (job) => ({ outcome: "Success", value: JSON.parse(JSON.stringify(job)) })
      }),
      Effect.provide(
        clientLayer({ ...options, apiKey: Redacted.make(apiKey) }).pipe(Layer.provide(transport.layer))
      )
    )
  )

type Options = Omit<DatafoldClientOptions, "apiKey" | "host">

/**
 * The fault suite over one transport: the shared table, then the cases that watch logs and
 * spans or make more than one call. Each transport's file calls it, so that the four run
 * side by side in the pool (most of a case is waiting on a timer or a socket).
 */
export const faultSuite = (transport: Transport): void => {
  let harness: Harness
  let server: LocalDatafoldServer
  beforeAll(async () => {
    harness = await startHarness()
    server = await startLocalDatafoldServer()
  })
  afterAll(async () => {
    await harness.close()
    await server.close()
  })
  beforeEach(() => {
    server.reset()
  })

  describe(`over ${transport.name}`, () => {
    describe("the shared fault table", () => {
      const call = callOver(transport)
      for (const row of faultTable) {
        it(row.name, async () => {
          expect(await harness.run(row, call)).toStrictEqual([])
        }, row.timeoutMillis)
      }
    })

    const trigger = (options: Options = {}, target: LocalDatafoldServer = server) =>
      triggerCiRun(7, details).pipe(Effect.provide(fastClient(target, options, transport.layer)))
    const endpoints = () => server.requests().map((request) => request.endpoint)
    const triggers = () => endpoints().filter((endpoint) => endpoint === "trigger").length

    describe("what the logs and spans show", () => {
      it.live("an unresolvable host is not retried: no retry is logged", () =>
        Effect.gen(function* () {
          const { lines, value: error } = yield* observed(
            Effect.flip(trigger({ retries: 3 }, { ...server, url: "https://datafold-ci-test.invalid" }))
          )
          expect(plain(error)).toMatchObject({ _tag: "DatafoldNetworkError", reason: "HostNotFound" })
          expect(lines.filter((line) => line.includes("retrying"))).toHaveLength(0)
        }))

      it.live("a lost answer: the returned run is logged and marked on the trigger span", () =>
        Effect.gen(function* () {
          server.inject(Fault.loseAnswer())
          const { spans, lines, value: job } = yield* observed(trigger())
          expect(job.ci_run_id).toBe(server.runs()[0]?.id)
          const span = spans.find((s) => s.name === "DatafoldClient.trigger")
          expect(span?.events.map((event) => event.name)).toContain("datafold.trigger.deduplicated")
          expect(lines.some((line) => line.includes("already started a run"))).toBe(true)
        }))

      it.live(
        "429 with Retry-After: the logged wait is the server's, capped (without it, at most 2 ms)",
        () =>
          Effect.gen(function* () {
            server.inject(Fault.rateLimited(5))
            const { lines } = yield* observed(trigger({ maxRetryDelay: "300 millis" }))
            expect(lines.find((line) => line.includes("retrying"))).toContain("datafold.wait_ms=300")
          }),
        10_000
      )
    })

    describe("one run per commit across calls", () => {
      it.live(
        "two concurrent calls for one commit on one client: one trigger sent, one run, both get it",
        () =>
          Effect.gen(function* () {
            server.inject(Fault.slow(600))
            const client = fastClient(server, { timeout: "5 seconds" }, transport.layer)
            const [first, second] = yield* Effect.all([triggerCiRun(7, details), triggerCiRun(7, details)], {
              concurrency: 2
            }).pipe(Effect.provide(client))
            expect(triggers()).toBe(1)
            expect(server.runs()).toHaveLength(1)
            expect(first.ci_run_id).toBe(server.runs()[0]?.id)
            expect(second.ci_run_id).toBe(server.runs()[0]?.id)
          }),
        20_000
      )

      it.live(
        "a call that timed out, then a new call for the same commit: no second trigger while the first may land",
        () =>
          Effect.gen(function* () {
            server.inject(Fault.slow(2_500))
            const job = yield* Effect.gen(function* () {
              const error = yield* Effect.flip(triggerCiRun(7, details))
              expect(error).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
              return yield* triggerCiRun(7, details)
            }).pipe(
              Effect.provide(
                fastClient(server, { timeout: "1 second", retries: 0, deadline: "30 seconds" }, transport.layer)
              )
            )
            expect(triggers()).toBe(1)
            expect(server.runs()).toHaveLength(1)
            expect(job.ci_run_id).toBe(server.runs()[0]?.id)
          }),
        20_000
      )

      it.live(
        "an interrupted call: its request is abandoned (the connection cut), and a new call for the same commit sends no second trigger while the first may land",
        () =>
          Effect.gen(function* () {
            const closed: Array<number | null> = []
            const own = yield* Effect.acquireRelease(
              Effect.promise(() =>
                startLocalDatafoldServer({
                  onRequest: (report) => {
                    if (report.endpoint === "trigger") closed.push(report.status)
                  }
                })
              ),
              (started) => Effect.promise(() => started.close())
            )
            own.inject(Fault.slow(1_500))
            const job = yield* Effect.gen(function* () {
              const first = yield* Effect.fork(triggerCiRun(7, details))
              yield* Effect.sleep("300 millis")
              yield* Fiber.interrupt(first)
              return yield* triggerCiRun(7, details)
            }).pipe(Effect.provide(fastClient(own, { timeout: "5 seconds" }, transport.layer)))
            // The first trigger's connection was cut before its answer (status null).
            expect(closed[0]).toBeNull()
            expect(own.requests().filter((request) => request.endpoint === "trigger")).toHaveLength(1)
            expect(own.runs()).toHaveLength(1)
            expect(job.ci_run_id).toBe(own.runs()[0]?.id)
          }).pipe(Effect.scoped),
        20_000
      )
    })
  })
}
