/**
 * The decisions of a wait for a data diff, before any Effect: the limits (as a run's
 * wait: from 2 s, half as long again each look, up to 15 s), and what each look at
 * `summary_results` leads to. Each Effect major runs the loop with its own `Clock`.
 *
 * @since 0.3.0
 */
import { pollDelay } from "../dbt/runStatus.ts"
import type { FieldIssue } from "../dbt/dbtInput.ts"
import { WAIT_DURATION_PROBLEM } from "../dbt/runWait.ts"
import { type FinishedSummary, isFinished, type SummaryResults } from "./shapes.ts"

/**
 * A diff wait's limits in milliseconds.
 *
 * @since 0.3.0
 * @category models
 */
export interface DiffWaitLimits {
  readonly timeout: number
  readonly pollEvery: number
  readonly maxPollEvery: number
  readonly concurrency: number
}

/**
 * Defaults: 30 minutes, looks from 2 s to 15 s, 8 diffs looked at side by side.
 *
 * @since 0.3.0
 * @category constants
 */
export const DIFF_WAIT_DEFAULTS: DiffWaitLimits = {
  timeout: 30 * 60 * 1000,
  pollEvery: 2000,
  maxPollEvery: 15_000,
  concurrency: 8
}

/**
 * The limits from the options in milliseconds (`undefined` left out, `null` not a
 * positive duration), defaults filled in.
 *
 * @since 0.3.0
 * @category rules
 */
export const diffWaitLimitsOf = (given: {
  readonly timeout: number | null | undefined
  readonly pollEvery: number | null | undefined
  readonly maxPollEvery: number | null | undefined
  readonly concurrency: unknown
}): { readonly ok: true; readonly value: DiffWaitLimits } | {
  readonly ok: false
  readonly issues: ReadonlyArray<FieldIssue>
} => {
  const issues: Array<FieldIssue> = []
  const pick = (field: "timeout" | "pollEvery" | "maxPollEvery"): number => {
    const value = given[field]
    if (value === null) issues.push({ field, problem: WAIT_DURATION_PROBLEM })
    return value ?? DIFF_WAIT_DEFAULTS[field]
  }
  const timeout = pick("timeout")
  const pollEvery = pick("pollEvery")
  const maxPollEvery = pick("maxPollEvery")
  const concurrency = given.concurrency ?? DIFF_WAIT_DEFAULTS.concurrency
  if (!(typeof concurrency === "number" && Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) {
    issues.push({ field: "concurrency", problem: "must be a whole number from 1 to 64" })
  }
  if (issues.length > 0) return { ok: false, issues }
  return {
    ok: true,
    value: { timeout, pollEvery, maxPollEvery: Math.max(pollEvery, maxPollEvery), concurrency: concurrency as number }
  }
}

/**
 * What a look at a diff's results leads to.
 *
 * @since 0.3.0
 * @category models
 */
export type DiffWaitStep =
  | { readonly _tag: "Finished"; readonly summary: FinishedSummary }
  | { readonly _tag: "Failed"; readonly summary: Extract<SummaryResults, { readonly _tag: "Failed" }> }
  | { readonly _tag: "Cancelled"; readonly summary: Extract<SummaryResults, { readonly _tag: "Cancelled" }> }
  | { readonly _tag: "Timeout"; readonly summary: SummaryResults }
  | { readonly _tag: "Sleep"; readonly millis: number }

/**
 * The step after look number `polls` (1-based), `elapsedMillis` into the wait. The wait
 * before the next look is cut so that the last look falls on the timeout itself.
 *
 * @since 0.3.0
 * @category rules
 */
export const diffWaitStep = (
  limits: DiffWaitLimits,
  polls: number,
  summary: SummaryResults,
  elapsedMillis: number
): DiffWaitStep => {
  if (isFinished(summary)) return { _tag: "Finished", summary }
  if (summary._tag === "Failed") return { _tag: "Failed", summary }
  if (summary._tag === "Cancelled") return { _tag: "Cancelled", summary }
  if (elapsedMillis >= limits.timeout) return { _tag: "Timeout", summary }
  return {
    _tag: "Sleep",
    millis: Math.min(pollDelay(polls, limits.pollEvery, limits.maxPollEvery), limits.timeout - elapsedMillis)
  }
}
