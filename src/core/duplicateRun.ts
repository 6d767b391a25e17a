/**
 * The trigger's duplicate-run look as data, as `dbt/runWait.ts`'s `waitStep` is for the
 * wait: which commit an attempt is for, which listed run a trigger started, what to do
 * after each look, and how long a commit stays in flight after an attempt ends. Each
 * Effect major runs the loop (its `internal/duplicateRun.ts`); the decisions are here.
 *
 * @since 0.2.0
 */
import { LOOK_WINDOW_TIMEOUTS } from "./lookWindow.ts"
import { type FailureFacts, mayHaveBeenDelivered } from "./retryPolicy.ts"

/**
 * The in-flight key of a trigger: CI config, PR number and head SHA.
 *
 * @since 0.2.0
 * @category keys
 */
export const triggerKey = (ciConfigId: number, prNumber: number, prSha: string): string =>
  `${ciConfigId}\u0000${prNumber}\u0000${prSha}`

/**
 * Whether a listed run is the one a trigger for this PR and (lower-case) SHA started.
 *
 * @since 0.2.0
 * @category rules
 */
export const isTriggeredRun = (
  run: { readonly pr_sha: string; readonly pr_num: string },
  prNumber: number,
  prSha: string
): boolean => run.pr_sha.toLowerCase() === prSha && run.pr_num === String(prNumber)

/**
 * What to do after a look: return what was found (a run, or none once no attempt was in
 * flight when the look began), look again after `millis`, or stop at the deadline.
 *
 * @since 0.2.0
 * @category models
 */
export type LookStep =
  | { readonly _tag: "Settled" }
  | { readonly _tag: "Sleep"; readonly millis: number }
  | { readonly _tag: "DeadlineReached" }

/**
 * The step after look number `step` (from 0): backing off from `firstWaitMillis` to
 * `longestWaitMillis`, and giving up when the next look could not end before the deadline.
 *
 * @since 0.2.0
 * @category rules
 */
export const lookStep = (look: {
  readonly found: boolean
  readonly inFlightBefore: boolean
  readonly step: number
  readonly now: number
  readonly deadlineAt: number
  readonly firstWaitMillis: number
  readonly longestWaitMillis: number
  readonly minAttemptMillis: number
}): LookStep => {
  if (look.found || !look.inFlightBefore) return { _tag: "Settled" }
  const millis = Math.min(look.firstWaitMillis * 2 ** look.step, look.longestWaitMillis)
  return look.now + millis + look.minAttemptMillis > look.deadlineAt
    ? { _tag: "DeadlineReached" }
    : { _tag: "Sleep", millis }
}

/**
 * How an ended attempt leaves its commit: `lost` when its answer was lost after it may
 * have reached Datafold (the next attempt looks first), and until when the commit stays
 * in flight (`undefined`: not at all). An interrupted attempt may have reached Datafold too.
 *
 * @since 0.2.0
 * @category rules
 */
export const attemptEnded = (ended: {
  readonly error: FailureFacts | undefined
  readonly interrupted: boolean
  readonly now: number
  readonly timeoutMillis: number
}): { readonly lost: boolean; readonly inFlightUntil: number | undefined } => {
  const lost = ended.error !== undefined && mayHaveBeenDelivered(ended.error)
  return {
    lost,
    inFlightUntil: lost || ended.interrupted ? ended.now + LOOK_WINDOW_TIMEOUTS * ended.timeoutMillis : undefined
  }
}
