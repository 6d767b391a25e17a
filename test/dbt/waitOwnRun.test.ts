/**
 * `waitForRun` against the local server when the listing cannot be trusted or fails:
 * a server that ignores the `pr_sha` filter, a newer run of another commit listed beside
 * ours, a run with our id but another commit (rule: only our own run is followed, the
 * others counted in the progress); and a listing that fails with a 5xx, a reset, a
 * timeout or an unreadable body (looked at again up to the wait's deadline), or with a
 * 401/403/404/422 (the wait ends at once).
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { type DatafoldClient, triggerCiRun, waitForRun } from "../../src/DatafoldClient.ts"
import type { WaitProgress } from "../../src/RunWait.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { fastClient, plain } from "../support/fixtures.ts"

const OURS = "ab".repeat(20)
const OTHER = "cd".repeat(20)
const fast = { pollEvery: "10 millis", maxPollEvery: "20 millis" } as const

const servers: Array<LocalDatafoldServer> = []
afterAll(() => Promise.all(servers.map((server) => server.close())))

const serverWith = async (options: Parameters<typeof startLocalDatafoldServer>[0]) => {
  const server = await startLocalDatafoldServer({ ciConfigIds: [7], ...options })
  servers.push(server)
  return server
}

const details = (sha: string, prNumber = 42) => ({
  pr_number: prNumber,
  pr_branch: "feature",
  base_branch: "main",
  pr_sha: sha,
  base_sha: "ef".repeat(20)
})

/**
 * Runs `effect` on a client without retries of its own, so each look is one listing. Each
 * attempt may take `timeout`: long, so that a loaded machine never turns a look into a
 * failure, except where a test is about an attempt that times out.
 */
const run = <A, E>(
  server: LocalDatafoldServer,
  effect: Effect.Effect<A, E, DatafoldClient>,
  timeout: Duration.DurationInput = "20 seconds"
) => Effect.runPromise(Effect.either(effect.pipe(Effect.provide(fastClient(server, { retries: 0, timeout })))))

const recording = () => {
  const seen: Array<WaitProgress> = []
  return { seen, onProgress: (step: WaitProgress) => Effect.sync(() => seen.push(step)) }
}
const listings = (server: LocalDatafoldServer) => server.requests().filter((request) => request.endpoint === "runs")

describe("a wait follows only its own run", () => {
  it("a listing that ignores the filter: the newer run of another commit is skipped, ours followed", async () => {
    const server = await serverWith({ ignoreRunFilters: true, runStatuses: ["running", "done"] })
    const { onProgress, seen } = recording()
    const result = await run(
      server,
      Effect.gen(function* () {
        yield* triggerCiRun(7, details(OURS))
        yield* triggerCiRun(7, details(OTHER, 43))
        return yield* waitForRun(7, { prSha: OURS }, { ...fast, onProgress })
      })
    )
    expect(result._tag === "Right" && result.right).toMatchObject({ id: 1, pr_sha: OURS, status: "done" })
    expect(seen.every((step) => step._tag === "Listed" && step.run.id === 1 && step.skipped === 1)).toBe(true)
  })

  it("another commit's newer done run beside our failing one: the wait ends with ours, failed", async () => {
    const server = await serverWith({
      runStatuses: ["running", "failed"],
      foreignRuns: [{ pr_sha: OTHER, status: "done" }]
    })
    const result = await run(
      server,
      Effect.gen(function* () {
        yield* triggerCiRun(7, details(OURS))
        return yield* waitForRun(7, { prSha: OURS }, fast)
      })
    )
    expect(result._tag === "Left" && plain(result.left)).toMatchObject({
      _tag: "DatafoldRunFailedError",
      run: { id: 1, pr_sha: OURS, status: "failed" }
    })
  })

  it("only others' runs listed: the run never appears (not another commit's done)", async () => {
    const server = await serverWith({ foreignRuns: [{ pr_sha: OTHER, status: "done" }] })
    const { onProgress, seen } = recording()
    const result = await run(
      server,
      waitForRun(7, { prSha: OURS }, { ...fast, appearWithin: "100 millis", onProgress })
    )
    expect(result._tag === "Left" && plain(result.left)).toMatchObject({ _tag: "DatafoldRunNotFoundError" })
    expect(seen.length).toBeGreaterThan(0)
    expect(seen.every((step) => step._tag === "NotYetListed" && step.skipped === 1)).toBe(true)
  })

  it("a run with our id but another commit is not ours", async () => {
    const server = await serverWith({ foreignRuns: [{ id: 77, pr_sha: OTHER, status: "done" }] })
    const result = await run(
      server,
      waitForRun(7, { ciRunId: 77, prSha: OURS }, { ...fast, appearWithin: "100 millis" })
    )
    expect(result._tag === "Left" && plain(result.left)).toMatchObject({
      _tag: "DatafoldRunNotFoundError",
      ciRunId: 77
    })
  })
})

describe("a wait outlives a failing listing", () => {
  // The per-attempt timeout is short only where the fault is an answer that comes too late.
  const passing: ReadonlyArray<readonly [string, () => Fault.Fault, Duration.DurationInput?]> = [
    ["a 500", () => Fault.serverError(500)],
    ["a 503", () => Fault.serverError(503)],
    ["a connection reset", () => Fault.dropConnection()],
    ["a reset mid-body", () => Fault.resetMidBody()],
    ["a timeout", () => Fault.slow(1500), "1 second"],
    ["an undecodable body", () => Fault.malformedBody()],
    ["a 429", () => Fault.rateLimited()]
  ]
  for (const [name, fault, attemptTimeout] of passing) {
    it(`${name} on two looks: the wait looks again and ends with the run done`, async () => {
      const server = await serverWith({ runStatuses: ["running", "done"] })
      const { onProgress, seen } = recording()
      const result = await run(
        server,
        Effect.gen(function* () {
          yield* triggerCiRun(7, details(OURS))
          server.inject(fault(), { endpoint: "runs", times: 2 })
          return yield* waitForRun(7, { prSha: OURS }, { ...fast, onProgress })
        }),
        attemptTimeout
      )
      expect(result._tag === "Right" && result.right).toMatchObject({ id: 1, status: "done" })
      expect(seen.filter((step) => step._tag === "LookFailed")).toHaveLength(2)
    })
  }

  for (
    const [status, fault] of [[401, Fault.unauthorized()], [403, Fault.forbidden()], [404, Fault.notFound()], [
      422,
      Fault.validation()
    ]] as const
  ) {
    it(`a ${status} ends the wait at once`, async () => {
      const server = await serverWith({ runStatuses: ["running"] })
      server.inject(fault, { endpoint: "runs", times: 5 })
      const result = await run(server, waitForRun(7, { prSha: OURS }, fast))
      expect(result._tag).toBe("Left")
      expect(listings(server)).toHaveLength(1)
    })
  }

  it("a listing that keeps failing ends the wait at its deadline, with the last error", async () => {
    const server = await serverWith({ runStatuses: ["running"] })
    server.inject(Fault.serverError(502), { endpoint: "runs", times: 10_000 })
    const result = await run(server, waitForRun(7, { prSha: OURS }, { ...fast, timeout: "300 millis" }))
    expect(result._tag === "Left" && plain(result.left)).toMatchObject({ _tag: "DatafoldServerError", status: 502 })
    // It looked again (how often in 300 ms depends on the machine).
    expect(listings(server).length).toBeGreaterThan(1)
  })
})
