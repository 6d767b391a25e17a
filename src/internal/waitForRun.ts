/**
 * Waiting for a CI run to end: look at the runs listing (one call per look, with the
 * client's own retries), back off between looks, report each look, and end with the
 * run done, or with the typed outcome of a run that failed, was cancelled, never
 * appeared or did not finish in time. Time is the Effect `Clock`'s, so a `TestClock`
 * drives it in tests.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { checkRunTarget, type FieldIssue } from "../core/dbt/dbtInput.ts"
import { pollDelay, runStateOf, WAIT_DEFAULT_MILLIS } from "../core/dbt/runStatus.ts"
import type { CiRun } from "../CiRun.ts"
import type { DatafoldClientService } from "../DatafoldClientService.ts"
import { type DatafoldError, DatafoldInputError, InputIssue } from "../DatafoldError.ts"
import {
  DatafoldRunCancelledError,
  DatafoldRunFailedError,
  DatafoldRunNotFoundError,
  DatafoldRunTimeoutError,
  type DatafoldWaitError
} from "../DatafoldWaitError.ts"
import type { RunTarget, WaitForRunOptions } from "../RunWait.ts"

/** Refused fields as the client's input error. */
export const inputErrorOf = (issues: ReadonlyArray<FieldIssue>): DatafoldInputError =>
  new DatafoldInputError({ issues: issues.map((issue) => new InputIssue(issue)) })

/** A duration option in milliseconds: its default when left out, `undefined` when it is not a positive duration. */
const millisOf = (input: Duration.DurationInput | undefined, fallback: number): number | undefined => {
  if (input === undefined) return fallback
  const millis = Option.map(Duration.decodeUnknown(input), Duration.toMillis)
  return Option.isSome(millis) && millis.value > 0 && Number.isFinite(millis.value) ? millis.value : undefined
}

/** The wait's limits in milliseconds, or the options that are not positive durations. */
const limitsOf = (options: WaitForRunOptions) => {
  const timeout = millisOf(options.timeout, WAIT_DEFAULT_MILLIS.timeout)
  const appearWithin = millisOf(options.appearWithin, WAIT_DEFAULT_MILLIS.appearWithin)
  const pollEvery = millisOf(options.pollEvery, WAIT_DEFAULT_MILLIS.pollEvery)
  const maxPollEvery = millisOf(options.maxPollEvery, WAIT_DEFAULT_MILLIS.maxPollEvery)
  if (timeout === undefined || appearWithin === undefined || pollEvery === undefined || maxPollEvery === undefined) {
    const given = { timeout, appearWithin, pollEvery, maxPollEvery }
    return {
      ok: false as const,
      issues: Object.entries(given).flatMap(([field, value]) =>
        value === undefined ? [{ field, problem: 'must be a positive duration, such as "30 seconds"' }] : []
      )
    }
  }
  return {
    ok: true as const,
    // A run cannot be given longer to appear than the whole wait, nor looks be spaced below their start.
    value: {
      timeout,
      appearWithin: Math.min(timeout, appearWithin),
      pollEvery,
      maxPollEvery: Math.max(pollEvery, maxPollEvery)
    }
  }
}

/** The run a look found: the one asked for, or the newest of the commit. */
const pick = (runs: ReadonlyArray<CiRun>, ciRunId: number | undefined): CiRun | undefined =>
  ciRunId !== undefined ? runs.find((run) => run.id === ciRunId) : runs.reduce<CiRun | undefined>(
    (newest, run) => (newest === undefined || run.id > newest.id ? run : newest),
    undefined
  )

/**
 * `waitForRun` over a client's `listRuns`.
 */
export const makeWaitForRun = (listRuns: DatafoldClientService["listRuns"]) =>
(
  ciConfigId: number,
  target: RunTarget,
  options: WaitForRunOptions = {}
): Effect.Effect<CiRun, DatafoldError | DatafoldWaitError> => {
  const checked = checkRunTarget(ciConfigId, target)
  const limits = limitsOf(options)
  if (!checked.ok || !limits.ok) {
    return Effect.fail(inputErrorOf([...(checked.ok ? [] : checked.issues), ...(limits.ok ? [] : limits.issues)]))
  }
  const { ciRunId, prNumber, prSha } = checked.value
  const { appearWithin, maxPollEvery, pollEvery, timeout } = limits.value
  const report = options.onProgress ?? (() => Effect.void)
  // Newest first or not, the listing of one commit is short: the newest is picked by id.
  const query = { prSha, prNumber, limit: 100 }

  return Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    let lastStatus: string | undefined
    for (let polls = 1;; polls++) {
      const run = pick(yield* listRuns(ciConfigId, query), ciRunId)
      const elapsedMillis = (yield* Clock.currentTimeMillis) - start
      if (run === undefined) {
        yield* report({ _tag: "NotYetListed", elapsedMillis, polls })
        if (elapsedMillis >= appearWithin) {
          return yield* new DatafoldRunNotFoundError({ ciConfigId, prSha, ciRunId, waitedMillis: elapsedMillis })
        }
      } else {
        yield* report({ _tag: "Listed", run, elapsedMillis, polls, changed: run.status !== lastStatus })
        lastStatus = run.status
        switch (runStateOf(run.status)) {
          case "Done":
            return run
          case "Failed":
            return yield* new DatafoldRunFailedError({ ciConfigId, run, elapsedMillis })
          case "Cancelled":
            return yield* new DatafoldRunCancelledError({ ciConfigId, run, elapsedMillis })
          case "Going":
            if (elapsedMillis >= timeout) {
              return yield* new DatafoldRunTimeoutError({ ciConfigId, run, waitedMillis: elapsedMillis })
            }
        }
      }
      // The last look falls on the limit itself, so no outcome is declared early.
      const limit = run === undefined ? appearWithin : timeout
      yield* Effect.sleep(Duration.millis(Math.min(pollDelay(polls, pollEvery, maxPollEvery), limit - elapsedMillis)))
    }
  })
}
