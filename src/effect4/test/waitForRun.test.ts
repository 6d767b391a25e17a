/**
 * `waitForRun` on the Effect 4 entry: its rules over a scripted listing on Effect 4's
 * `TestClock` (how often it looks, which run it follows, each outcome's error, the limits
 * checked before the first look), then the whole call over real loopback HTTP with short
 * limits: done, failed, cancelled, a run that never appears, one that never finishes,
 * and the server going away while polling.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { TestClock } from "effect/testing"
import { type DbtRecorder, startDbtRecorder, wireRun } from "../../../test/support/dbtRecorder.ts"
import { CiRun, clientLayer, type DatafoldClientService, waitForRun, type WaitProgress } from "../index.ts"
import { makeWaitForRun } from "../internal/waitForRun.ts"

const SHA = "ab".repeat(20)

const runWith = (id: number, status: string) => new CiRun(wireRun(id, status, SHA) as never)

/** A listing that answers each look from `script` (the last answer repeats), recording when it was asked. */
const scripted = (script: ReadonlyArray<ReadonlyArray<CiRun>>) => {
  const calls: Array<{ readonly at: number; readonly query: unknown }> = []
  const listRuns: DatafoldClientService["listRuns"] = (_, query) =>
    Effect.map(Clock.currentTimeMillis, (at) => {
      calls.push({ at, query })
      return script[Math.min(calls.length - 1, script.length - 1)] ?? []
    })
  return { listRuns, calls }
}

/** Runs `wait` to its end, moving the test clock a second at a time. */
const settle = <A, E>(wait: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.forkChild(wait)
    for (let second = 0; second < 4000 && fiber.pollUnsafe() === undefined; second++) {
      yield* TestClock.adjust("1 second")
    }
    return yield* Fiber.await(fiber)
  })

describe("the wait's rules, on TestClock", () => {
  it.effect("looks at once, then after 2 s, 3 s, 4.5 s … up to 15 s; ends when the run is done", () =>
    Effect.gen(function* () {
      const done = runWith(3, "done")
      const { calls, listRuns } = scripted([
        [],
        [],
        [runWith(3, "pending")],
        [runWith(3, "running")],
        ...Array(6).fill([runWith(3, "running")]),
        [done]
      ])
      const seen: Array<WaitProgress> = []
      const exit = yield* settle(
        makeWaitForRun(listRuns)(9, { prSha: SHA.toUpperCase() }, {
          onProgress: (progress) => Effect.sync(() => seen.push(progress))
        })
      )
      expect(exit).toStrictEqual(Exit.succeed(done))
      const gaps = calls.slice(1).map((call, index) => call.at - calls[index]!.at)
      expect(gaps).toEqual([2000, 3000, 4500, 6750, 10125, 15000, 15000, 15000, 15000, 15000])
      expect(calls[0]!.query).toEqual({ prSha: SHA, prNumber: undefined, limit: 100 })
      expect(seen.map((step) => step._tag === "Listed" ? `${step.run.status}${step.changed ? "!" : ""}` : "-"))
        .toEqual(["-", "-", "pending!", "running!", ...Array(6).fill("running"), "done!"])
    }))

  it.effect("takes the newest run of the commit, or the run asked for by id", () =>
    Effect.gen(function* () {
      const { listRuns } = scripted([[runWith(4, "done"), runWith(9, "failed"), runWith(2, "cancelled")]])
      const newest = yield* settle(makeWaitForRun(listRuns)(9, { prSha: SHA }).pipe(Effect.flip))
      expect(Exit.isSuccess(newest) && newest.value._tag).toBe("DatafoldRunFailedError")
      expect(yield* settle(makeWaitForRun(listRuns)(9, { ciRunId: 4 }))).toStrictEqual(Exit.succeed(runWith(4, "done")))
    }))

  it.effect("failed and cancelled runs end the wait with their own errors, holding the run", () =>
    Effect.gen(function* () {
      for (const [status, tag] of [["failed", "DatafoldRunFailedError"], ["cancelled", "DatafoldRunCancelledError"]]) {
        const { listRuns } = scripted([[runWith(5, "running")], [runWith(5, status!)]])
        const exit = yield* settle(makeWaitForRun(listRuns)(9, { prSha: SHA }).pipe(Effect.flip))
        expect(Exit.isSuccess(exit)).toBe(true)
        if (Exit.isSuccess(exit)) {
          expect(exit.value._tag).toBe(tag)
          expect(exit.value).toMatchObject({ ciConfigId: 9, run: { id: 5, status }, elapsedMillis: 2000 })
          expect(exit.value.message).toContain(`Datafold CI run 5 (CI config 9, PR #42, commit ${SHA.slice(0, 7)})`)
        }
      }
    }))

  it.effect("a run that never appears: DatafoldRunNotFoundError after a minute, the last look on the limit", () =>
    Effect.gen(function* () {
      const { calls, listRuns } = scripted([[]])
      const exit = yield* settle(makeWaitForRun(listRuns)(9, { prSha: SHA }).pipe(Effect.flip))
      expect(Exit.isSuccess(exit) && exit.value).toMatchObject({
        _tag: "DatafoldRunNotFoundError",
        ciConfigId: 9,
        prSha: SHA,
        waitedMillis: 60_000
      })
      expect(calls.map((call) => call.at)).toEqual([0, 2000, 5000, 9500, 16_250, 26_375, 41_375, 56_375, 60_000])
    }))

  it.effect("a run that never finishes: DatafoldRunTimeoutError after the hour, with the run as last listed", () =>
    Effect.gen(function* () {
      const { calls, listRuns } = scripted([[runWith(6, "running")]])
      const exit = yield* settle(makeWaitForRun(listRuns)(9, { ciRunId: 6 }).pipe(Effect.flip))
      expect(Exit.isSuccess(exit) && exit.value).toMatchObject({
        _tag: "DatafoldRunTimeoutError",
        run: { id: 6, status: "running" },
        waitedMillis: 60 * 60 * 1000
      })
      if (Exit.isSuccess(exit)) expect(exit.value.message).toContain(`still "running" after 1h 00m`)
      expect(calls.at(-1)!.at).toBe(60 * 60 * 1000)
    }))

  it.effect("refuses a bad target or limit before looking at all", () =>
    Effect.gen(function* () {
      const { calls, listRuns } = scripted([[]])
      const wait = makeWaitForRun(listRuns)
      const bad = yield* Effect.flip(wait(0, { prSha: "abc" }, { timeout: "0 seconds", pollEvery: -1 }))
      expect(bad._tag === "DatafoldInputError" && bad.issues.map((issue) => issue.field)).toStrictEqual([
        "ciConfigId",
        "prSha",
        "timeout",
        "pollEvery"
      ])
      const nothing = yield* Effect.flip(wait(1, {} as never))
      expect(nothing.message).toContain("give the commit (prSha) or the run (ciRunId)")
      expect(calls).toEqual([])
    }))
})

describe("waitForRun over loopback HTTP", () => {
  let recorder: DbtRecorder
  beforeAll(async () => {
    recorder = await startDbtRecorder()
  })
  afterAll(() => recorder.close())

  const apiKey = "dfk_effect4_wait_0123456789"
  const client = (host: string) =>
    clientLayer({ apiKey: Redacted.make(apiKey), host, retries: 1, retryBase: "10 millis" }).pipe(
      Layer.provide(FetchHttpClient.layer)
    )
  const fast = { pollEvery: "20 millis", maxPollEvery: "40 millis" } as const

  it.live("a run that appears, runs and is done: one listing call per look", () =>
    Effect.gen(function* () {
      recorder.reset()
      recorder.listRuns((call) => (call < 3 ? [] : [wireRun(11, call < 5 ? "running" : "done", SHA)]))
      let looks = 0
      const run = yield* waitForRun(7, { prSha: SHA, prNumber: 42 }, {
        ...fast,
        onProgress: () => Effect.sync(() => looks++)
      }).pipe(Effect.provide(client(recorder.url)))
      expect(run).toMatchObject({ id: 11, status: "done" })
      const listings = recorder.requests().filter((request) => request.endpoint === "runs")
      expect(listings).toHaveLength(looks)
      expect(looks).toBe(5)
      expect(listings[0]!.url).toBe(`/api/v1/ci/7/runs?pr_sha=${SHA}&pr_num=42&limit=100`)
    }))

  const outcomes: ReadonlyArray<readonly [string, string, object, Record<string, unknown>]> = [
    ["failed", "failed", {}, { _tag: "DatafoldRunFailedError", ciConfigId: 7, run: { id: 12, status: "failed" } }],
    ["cancelled", "cancelled", {}, { _tag: "DatafoldRunCancelledError", run: { id: 12, status: "cancelled" } }],
    ["never finishes", "running", { timeout: "200 millis" }, {
      _tag: "DatafoldRunTimeoutError",
      run: { id: 12, status: "running" },
      waitedMillis: expect.any(Number)
    }]
  ]
  for (const [name, status, options, expected] of outcomes) {
    it.live(`a run that ${name}`, () =>
      Effect.gen(function* () {
        recorder.reset()
        recorder.listRuns(() => [wireRun(12, status, SHA)])
        const error = yield* Effect.flip(
          waitForRun(7, { prSha: SHA }, { ...fast, ...options }).pipe(Effect.provide(client(recorder.url)))
        )
        expect(JSON.parse(JSON.stringify(error))).toMatchObject(expected)
      }))
  }

  it.live("a run that never appears", () =>
    Effect.gen(function* () {
      recorder.reset()
      const error = yield* Effect.flip(
        waitForRun(7, { prSha: SHA }, { ...fast, appearWithin: "150 millis" }).pipe(
          Effect.provide(client(recorder.url))
        )
      )
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ _tag: "DatafoldRunNotFoundError", prSha: SHA })
      expect(error._tag === "DatafoldRunNotFoundError" && error.waitedMillis).toBeGreaterThanOrEqual(150)
      expect(error.message).toContain(`for commit ${SHA.slice(0, 7)} in CI config 7`)
    }))

  it.live("the server going away while polling: looked at again until the deadline, then its network error", () =>
    Effect.gen(function* () {
      const leaving = yield* Effect.promise(startDbtRecorder)
      leaving.listRuns((call) => {
        if (call === 2) setImmediate(() => void leaving.close())
        return [wireRun(13, "running", SHA)]
      })
      const error = yield* Effect.flip(
        waitForRun(7, { prSha: SHA }, { ...fast, timeout: "300 millis" }).pipe(Effect.provide(client(leaving.url)))
      )
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({
        _tag: "DatafoldNetworkError",
        reason: "ConnectionRefused"
      })
      expect(error.message).not.toContain(apiKey)
    }))
})
