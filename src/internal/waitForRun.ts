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
import { checkRunTarget } from "../core/dbt/dbtInput.ts"
import { isWaitMillis, WAIT_LIST_LIMIT, waitLimitsOf, waitStep } from "../core/dbt/runWait.ts"
import { listingFailureStep } from "../core/dbt/listingFailure.ts"
import { pickOwnRun } from "../core/dbt/ownRun.ts"
import type { CiRun } from "../CiRun.ts"
import type { DatafoldClientService } from "../DatafoldClientService.ts"
import type { DatafoldError } from "../DatafoldError.ts"
import {
  DatafoldRunCancelledError,
  DatafoldRunFailedError,
  DatafoldRunNotFoundError,
  DatafoldRunTimeoutError,
  type DatafoldWaitError
} from "../DatafoldWaitError.ts"
import type { RunTarget, WaitForRunOptions } from "../RunWait.ts"
import { inputErrorOfFields } from "./inputIssues.ts"

/** A duration option in milliseconds: `undefined` when left out, `null` when it is not a positive duration. */
const millisOf = (input: Duration.DurationInput | undefined): number | null | undefined => {
  if (input === undefined) return undefined
  const millis = Option.map(Duration.decodeUnknown(input), Duration.toMillis)
  return Option.isSome(millis) && isWaitMillis(millis.value) ? millis.value : null
}

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
  const limits = waitLimitsOf({
    timeout: millisOf(options.timeout),
    appearWithin: millisOf(options.appearWithin),
    pollEvery: millisOf(options.pollEvery),
    maxPollEvery: millisOf(options.maxPollEvery)
  })
  if (!checked.ok || !limits.ok) {
    return Effect.fail(inputErrorOfFields([...(checked.ok ? [] : checked.issues), ...(limits.ok ? [] : limits.issues)]))
  }
  const { ciRunId, prNumber, prSha } = checked.value
  const report = options.onProgress ?? (() => Effect.void)
  const query = { prSha, prNumber, limit: WAIT_LIST_LIMIT }
  const own = { prSha, ciRunId, prNumber }

  return Effect.gen(function* () {
    const start = yield* Clock.currentTimeMillis
    let lastStatus: string | undefined
    for (let polls = 1;; polls++) {
      // A look whose listing fails in a way that may pass is repeated up to the deadline.
      const listed = yield* Effect.either(listRuns(ciConfigId, query))
      const elapsedMillis = (yield* Clock.currentTimeMillis) - start
      if (listed._tag === "Left") {
        const error = listed.left
        const next = listingFailureStep(limits.value, polls, error, elapsedMillis)
        if (next._tag === "GiveUp") return yield* Effect.fail(error)
        yield* report({ _tag: "LookFailed", error, elapsedMillis, polls })
        yield* Effect.sleep(Duration.millis(next.millis))
        continue
      }
      // Never trust the server's filtering: only our own run is followed.
      const { run, skipped } = pickOwnRun(own, listed.right)
      if (run === undefined) yield* report({ _tag: "NotYetListed", elapsedMillis, polls, skipped })
      else {
        yield* report({ _tag: "Listed", run, elapsedMillis, polls, changed: run.status !== lastStatus, skipped })
        lastStatus = run.status
      }
      const step = waitStep(limits.value, polls, run, elapsedMillis)
      switch (step._tag) {
        case "Done":
          return step.run
        case "Failed":
          return yield* new DatafoldRunFailedError({ ciConfigId, run: step.run, elapsedMillis })
        case "Cancelled":
          return yield* new DatafoldRunCancelledError({ ciConfigId, run: step.run, elapsedMillis })
        case "NotFound":
          return yield* new DatafoldRunNotFoundError({ ciConfigId, prSha, ciRunId, waitedMillis: elapsedMillis })
        case "Timeout":
          return yield* new DatafoldRunTimeoutError({ ciConfigId, run: step.run, waitedMillis: elapsedMillis })
        case "Sleep":
          yield* Effect.sleep(Duration.millis(step.millis))
      }
    }
  })
}
