/**
 * The wait's own rules, over a scripted runs listing and Effect's `TestClock`: how often
 * it looks (from 2 s, half as long again each time, up to 15 s; one listing per look),
 * the newest run of a commit or the run asked for, each outcome with its own error, and
 * the limits checked before the first look. The same wait against the local server is
 * in `upload.test.ts` and the CLI's tests.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import * as Clock from "effect/Clock"
import { CiRun } from "../../src/CiRun.ts"
import type { DatafoldClientService } from "../../src/DatafoldClientService.ts"
import { makeWaitForRun } from "../../src/internal/waitForRun.ts"
import type { WaitProgress } from "../../src/RunWait.ts"

const SHA = "ab".repeat(20)

const runWith = (id: number, status: string) =>
  new CiRun({
    id,
    base_branch: "main",
    base_sha: "cd".repeat(20),
    pr_branch: "feature",
    pr_sha: SHA,
    pr_num: "7",
    status,
    source: "dbt"
  })

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
    const fiber = yield* Effect.fork(wait)
    for (let second = 0; second < 4000 && fiber.unsafePoll() === null; second++) yield* TestClock.adjust("1 second")
    return yield* Fiber.await(fiber)
  })

describe("waitForRun", () => {
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
        .toEqual([
          "-",
          "-",
          "pending!",
          "running!",
          "running",
          "running",
          "running",
          "running",
          "running",
          "running",
          "done!"
        ])
    }))

  it.effect("takes the newest run of the commit, or the run asked for by id", () =>
    Effect.gen(function* () {
      const { listRuns } = scripted([[runWith(4, "done"), runWith(9, "failed"), runWith(2, "cancelled")]])
      const newest = yield* settle(makeWaitForRun(listRuns)(9, { prSha: SHA }))
      expect(Exit.isFailure(newest) && JSON.stringify(newest.cause)).toContain("DatafoldRunFailedError")
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
          expect(exit.value.message).toContain(`Datafold CI run 5 (CI config 9, PR #7, commit ${SHA.slice(0, 7)})`)
        }
      }
    }))

  it.effect("a run that never appears: DatafoldRunNotFoundError after appearWithin, the last look on the limit", () =>
    Effect.gen(function* () {
      const { calls, listRuns } = scripted([[]])
      const exit = yield* settle(
        makeWaitForRun(listRuns)(9, { prSha: SHA }, { appearWithin: "10 seconds" }).pipe(Effect.flip)
      )
      expect(Exit.isSuccess(exit) && exit.value).toMatchObject({
        _tag: "DatafoldRunNotFoundError",
        ciConfigId: 9,
        prSha: SHA,
        waitedMillis: 10_000
      })
      expect(calls.map((call) => call.at)).toEqual([0, 2000, 5000, 9500, 10_000])
    }))

  it.effect("a run that never finishes: DatafoldRunTimeoutError after the timeout, with the run as last listed", () =>
    Effect.gen(function* () {
      const { listRuns } = scripted([[runWith(6, "running")]])
      const exit = yield* settle(makeWaitForRun(listRuns)(9, { ciRunId: 6 }, { timeout: "1 minute" }).pipe(Effect.flip))
      expect(Exit.isSuccess(exit) && exit.value).toMatchObject({
        _tag: "DatafoldRunTimeoutError",
        run: { id: 6, status: "running" },
        waitedMillis: Duration.toMillis("1 minute")
      })
      if (Exit.isSuccess(exit)) expect(exit.value.message).toContain(`still "running" after 1m 00s`)
    }))

  it.effect("refuses a bad target or limit before looking at all", () =>
    Effect.gen(function* () {
      const { calls, listRuns } = scripted([[]])
      const wait = makeWaitForRun(listRuns)
      const bad = yield* Effect.flip(wait(0, { prSha: "abc" }, { timeout: "0 seconds", pollEvery: -1 }))
      expect(bad).toMatchObject({ _tag: "DatafoldInputError" })
      expect(bad.message).toContain("ciConfigId")
      expect(bad.message).toContain("prSha must be a full commit SHA")
      expect(bad.message).toContain("timeout must be a positive duration")
      expect(bad.message).toContain("pollEvery must be a positive duration")
      const nothing = yield* Effect.flip(wait(1, {} as never))
      expect(nothing.message).toContain("give the commit (prSha) or the run (ciRunId)")
      expect(calls).toEqual([])
    }))
})
