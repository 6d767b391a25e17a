/**
 * The fault suite: one case per way the service or the network can fail, over real
 * loopback HTTP, on every transport (see `support/transports.ts`). Each asserts the typed
 * outcome, how many requests the server saw, and that no second run was created.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { afterAll, beforeAll, beforeEach } from "vitest"
import { type DatafoldClientOptions, triggerCiRun } from "../src/index.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../src/testing.ts"
import { details, fastClient, plain } from "./support/fixtures.ts"
import { observed } from "./support/recording.ts"
import { transports } from "./support/transports.ts"

let server: LocalDatafoldServer
let elsewhere: LocalDatafoldServer
beforeAll(async () => {
  server = await startLocalDatafoldServer()
  elsewhere = await startLocalDatafoldServer()
})
afterAll(async () => {
  await server.close()
  await elsewhere.close()
})
beforeEach(() => {
  server.reset()
  elsewhere.reset()
})

type Options = Omit<DatafoldClientOptions, "apiKey" | "host">

describe.each(transports)("over $name", (transport) => {
  const trigger = (options: Options = {}, target: LocalDatafoldServer = server) =>
    triggerCiRun(7, details).pipe(Effect.provide(fastClient(target, options, transport.layer)))
  const failure = (options: Options = {}) => Effect.map(Effect.flip(trigger(options)), plain)
  const endpoints = () => server.requests().map((request) => request.endpoint)

  /** A lost trigger, then lookups (with backoff, for the look window), then one more trigger. */
  const expectLookupsThenResend = () => {
    const seen = endpoints()
    expect(seen[0]).toBe("trigger")
    expect(seen.at(-1)).toBe("trigger")
    expect(seen.slice(1, -1).length).toBeGreaterThan(0)
    expect(seen.slice(1, -1).every((endpoint) => endpoint === "runs")).toBe(true)
  }

  describe("transport faults", () => {
    it.live("connection refused: DatafoldNetworkError after every retry", () =>
      Effect.gen(function* () {
        const closed = yield* Effect.promise(() => startLocalDatafoldServer())
        yield* Effect.promise(() => closed.close())
        const error = yield* Effect.flip(trigger({ retries: 2 }, closed))
        expect(plain(error)).toMatchObject({ _tag: "DatafoldNetworkError", reason: "ConnectionRefused" })
        expect(closed.requests()).toHaveLength(0)
      }))

    it.live("an unresolvable host (.invalid): DatafoldNetworkError HostNotFound, not retried", () =>
      Effect.gen(function* () {
        const { lines, value: error } = yield* observed(
          Effect.flip(trigger({ retries: 3 }, { ...server, url: "https://datafold-ci-test.invalid" }))
        )
        expect(plain(error)).toMatchObject({ _tag: "DatafoldNetworkError", reason: "HostNotFound" })
        expect(error.message).toContain("datafold-ci-test.invalid")
        expect(lines.filter((line) => line.includes("retrying"))).toHaveLength(0)
      }))

    it.live("reset before any answer: looks for a run (for two timeouts), finds none, triggers again; one run", () =>
      Effect.gen(function* () {
        server.inject(Fault.dropConnection())
        const job = yield* trigger({ timeout: "1 second" })
        expectLookupsThenResend()
        expect(server.runs()).toHaveLength(1)
        expect(job.ci_run_id).toBe(server.runs()[0]?.id)
      }))

    it.live("reset mid-body after the run was created: returns that run; one run", () =>
      Effect.gen(function* () {
        server.inject(Fault.resetMidBody())
        const job = yield* trigger()
        expect(endpoints()).toStrictEqual(["trigger", "runs"])
        expect(server.runs()).toHaveLength(1)
        expect(job.ci_run_id).toBe(server.runs()[0]?.id)
      }))

    it.live("the run is created and the answer lost: exactly one run, and the caller gets its id", () =>
      Effect.gen(function* () {
        server.inject(Fault.loseAnswer())
        const { spans, lines, value: job } = yield* observed(trigger())
        expect(server.runs()).toHaveLength(1)
        expect(job.ci_run_id).toBe(server.runs()[0]?.id)
        expect(endpoints()).toStrictEqual(["trigger", "runs"])
        const span = spans.find((s) => s.name === "DatafoldClient.trigger")
        expect(span?.events.map((event) => event.name)).toContain("datafold.trigger.deduplicated")
        expect(lines.some((line) => line.includes("already started a run"))).toBe(true)
      }))

    it.live("a hang: DatafoldNetworkError Timeout naming the limit", () =>
      Effect.gen(function* () {
        server.inject(Fault.slow(3_000))
        const error = yield* failure({ timeout: "150 millis", retries: 0 })
        expect(error).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
        expect(error.detail).toContain("150ms")
        expect(server.requests()).toHaveLength(1)
      }))

    it.live("the overall deadline bounds all attempts together", () =>
      Effect.gen(function* () {
        server.inject(Fault.slow(3_000), { times: 10, endpoint: "trigger" })
        server.inject(Fault.slow(3_000), { times: 10, endpoint: "runs" })
        const error = yield* failure({ timeout: "100 millis", deadline: "400 millis", retries: 10 })
        expect(error).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
        expect(error.detail).toContain("deadline")
        expect(server.requests().length).toBeLessThan(10)
      }))
  })

  describe("the deadline bounds the waits too", () => {
    // Guarded by the test's own time limit: without the cap this waits the full 20 s Retry-After.
    it.live(
      "a Retry-After longer than the deadline is cut to the deadline",
      () =>
        Effect.gen(function* () {
          server.inject(Fault.rateLimited(20), { times: 5 })
          const error = yield* failure({ deadline: "300 millis", maxRetryDelay: "60 seconds", retries: 3 })
          expect(error).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
          expect(error.detail).toContain("deadline")
          expect(server.requests()).toHaveLength(1)
        }),
      10_000
    )
  })

  describe("no attempt in the last moments of the deadline", () => {
    // The wait (capped at 300 ms) ends with about 100 ms of the 400 ms deadline left, less
    // than the 250 ms an attempt needs: nothing more is sent.
    it.live(
      "a retry that would start with less than the minimum attempt time left is not sent",
      () =>
        Effect.gen(function* () {
          server.inject(Fault.rateLimited(20), { times: 5 })
          const error = yield* failure({ deadline: "400 millis", maxRetryDelay: "300 millis", retries: 3 })
          expect(error).toMatchObject({ _tag: "DatafoldNetworkError", reason: "Timeout" })
          expect(error.detail).toContain("deadline")
          expect(server.requests()).toHaveLength(1)
        }),
      10_000
    )
  })

  describe("status faults", () => {
    it.live("429 with Retry-After in seconds: waits as told (capped), then succeeds", () =>
      Effect.gen(function* () {
        server.inject(Fault.rateLimited(5))
        const { lines, value: job } = yield* observed(trigger({ maxRetryDelay: "300 millis" }))
        expect(job.ci_run_id).toBe(1)
        expect(endpoints()).toStrictEqual(["trigger", "trigger"])
        // Without Retry-After the first wait is at most 2 ms; with it, the cap.
        expect(lines.find((line) => line.includes("retrying"))).toContain("datafold.wait_ms=300")
      }), 10_000)

    it.live("429 with Retry-After as an HTTP date: waits as told (capped), then succeeds", () =>
      Effect.gen(function* () {
        server.inject(Fault.rateLimited(new Date(Date.now() + 60_000)))
        const { lines } = yield* observed(trigger({ maxRetryDelay: "300 millis" }))
        expect(server.runs()).toHaveLength(1)
        expect(lines.find((line) => line.includes("retrying"))).toContain("datafold.wait_ms=300")
      }))

    it.live("429 for longer than the retries allow: DatafoldRateLimitError", () =>
      Effect.gen(function* () {
        server.inject(Fault.rateLimited(1), { times: 3 })
        const error = yield* failure({ retries: 2, maxRetryDelay: "5 millis" })
        expect(error).toMatchObject({ _tag: "DatafoldRateLimitError", retryAfterMillis: 1000 })
        expect(server.requests()).toHaveLength(3)
        expect(server.runs()).toHaveLength(0)
      }))

    it.live("500: DatafoldServerError, not retried", () =>
      Effect.gen(function* () {
        server.inject(Fault.serverError(500))
        expect(yield* failure()).toMatchObject({ _tag: "DatafoldServerError", status: 500 })
        expect(server.requests()).toHaveLength(1)
        expect(server.runs()).toHaveLength(0)
      }))

    for (const status of [502, 504] as const) {
      it.live(`${status} then success: looks for the run first (the gateway may have lost it); one run`, () =>
        Effect.gen(function* () {
          server.inject(Fault.serverError(status))
          const job = yield* trigger({ timeout: "1 second" })
          expectLookupsThenResend()
          expect(server.runs()).toHaveLength(1)
          expect(job.ci_run_id).toBe(server.runs()[0]?.id)
        }))
    }

    it.live("503 then success: retried straight away (nothing was processed); one run", () =>
      Effect.gen(function* () {
        server.inject(Fault.serverError(503))
        yield* trigger()
        expect(endpoints()).toStrictEqual(["trigger", "trigger"])
        expect(server.runs()).toHaveLength(1)
      }))

    it.live("an HTML error page from a proxy: DatafoldServerError with a short excerpt", () =>
      Effect.gen(function* () {
        server.inject(Fault.serverError(502))
        const error = yield* failure({ retries: 0 })
        expect(error).toMatchObject({ _tag: "DatafoldServerError", status: 502 })
        expect(error.detail).toContain("502 Bad Gateway")
        expect(String(error.detail).length).toBeLessThanOrEqual(201)
      }))

    it.live("401 and 403 with a string detail: DatafoldAuthError, not retried", () =>
      Effect.gen(function* () {
        server.inject(Fault.unauthorized())
        expect(yield* failure()).toMatchObject({ _tag: "DatafoldAuthError", status: 401, detail: "Not authenticated" })
        server.inject(Fault.forbidden())
        expect(yield* failure()).toMatchObject({ _tag: "DatafoldAuthError", status: 403 })
        expect(server.requests()).toHaveLength(2)
        expect(server.runs()).toHaveLength(0)
      }))

    it.live("problem+json 401 and 422: the typed errors, with the problem's words", () =>
      Effect.gen(function* () {
        const problem = (status: number, title: string, detail: string) =>
          Fault.respond(status, JSON.stringify({ type: "about:blank", title, status, detail }), {
            "content-type": "application/problem+json"
          })
        server.inject(problem(401, "Unauthorized", "API key expired"))
        expect(yield* failure()).toMatchObject({ _tag: "DatafoldAuthError", detail: "Unauthorized: API key expired" })
        server.inject(problem(422, "Unprocessable", "pr_sha unknown"))
        expect(yield* failure()).toMatchObject({
          _tag: "DatafoldValidationError",
          detail: [],
          rawMessage: "Unprocessable: pr_sha unknown"
        })
        expect(server.requests()).toHaveLength(2)
        expect(server.runs()).toHaveLength(0)
      }))
  })

  describe("body faults", () => {
    const cases: ReadonlyArray<[string, Fault.Fault, string]> = [
      ["malformed JSON", Fault.malformedBody(), "the body is not JSON"],
      ["wrong types", Fault.respond(200, JSON.stringify({ ci_run_id: "12", run_id: 3 })), "documented shape"],
      ["an empty body", Fault.respond(200, ""), "the body is empty"],
      ["a body over the cap (declared)", Fault.respond(200, "x".repeat(1024 * 1024 + 1)), "larger than"],
      [
        "a body over the cap (chunked)",
        Fault.respond(200, "y".repeat(2 * 1024 * 1024), { "transfer-encoding": "chunked" }),
        "larger than"
      ]
    ]
    for (const [name, fault, problem] of cases) {
      it.live(`${name}: DatafoldResponseError, not retried`, () =>
        Effect.gen(function* () {
          server.inject(fault)
          const error = yield* failure()
          expect(error).toMatchObject({ _tag: "DatafoldResponseError", status: 200 })
          expect(error.problem).toContain(problem)
          expect(server.requests()).toHaveLength(1)
        }))
    }

    it.live("a 3xx to another origin: DatafoldResponseError naming the Location; nothing reaches the other origin", () =>
      Effect.gen(function* () {
        server.inject(Fault.redirect(`${elsewhere.url}/api/v1/ci/7/trigger`))
        const error = yield* failure()
        expect(error).toMatchObject({ _tag: "DatafoldResponseError", status: 307 })
        expect(error.problem).toContain(elsewhere.url)
        expect(server.requests()).toHaveLength(1)
        expect(elsewhere.requests()).toHaveLength(0)
      }))
  })

  describe("one run per commit when Datafold is slow", () => {
    const triggers = () => endpoints().filter((endpoint) => endpoint === "trigger").length

    // The attempt times out at 1 s; the server creates the run 1.5 s later (1.5 timeouts
    // late), while the client is still looking for it. Without the look window the
    // client re-sends at once and a second run appears.
    it.live(
      "the create finishes after the attempt timed out: the client finds the run, sends once, one run",
      () =>
        Effect.gen(function* () {
          server.inject(Fault.slow(2_500))
          const job = yield* trigger({ timeout: "1 second", deadline: "30 seconds" })
          expect(triggers()).toBe(1)
          expect(server.runs()).toHaveLength(1)
          expect(job.ci_run_id).toBe(server.runs()[0]?.id)
        }),
      20_000
    )

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
  })
})
