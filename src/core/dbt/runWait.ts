/**
 * The decisions of a wait for a CI run, before any Effect: its limits from the options,
 * the run a look at the listing found, and what each look leads to (an outcome, or the
 * wait before the next look). Each Effect major runs the loop with its own `Clock` and
 * `sleep` and builds its own errors; the rules are these, so both end alike.
 *
 * @since 0.2.0
 */
import type { FieldIssue } from "./dbtInput.ts"
import { pollDelay, runStateOf, WAIT_DEFAULT_MILLIS } from "./runStatus.ts"

/**
 * A wait's limits in milliseconds.
 *
 * @since 0.2.0
 * @category models
 */
export interface WaitLimits {
  readonly timeout: number
  readonly appearWithin: number
  readonly pollEvery: number
  readonly maxPollEvery: number
}

/**
 * The problem of a wait option that is not a positive duration.
 *
 * @since 0.2.0
 * @category messages
 */
export const WAIT_DURATION_PROBLEM = 'must be a positive duration, such as "30 seconds"'

/**
 * How many runs one look asks for: the listing of one commit is short, and the newest
 * is picked by id whatever the listing's order.
 *
 * @since 0.2.0
 * @category constants
 */
export const WAIT_LIST_LIMIT = 100

/**
 * Whether a duration option, in milliseconds, can be a wait's: positive and finite.
 *
 * @since 0.2.0
 * @category rules
 */
export const isWaitMillis = (millis: number): boolean => millis > 0 && Number.isFinite(millis)

/**
 * The limits from the options in milliseconds (`undefined` for one left out, `null` for
 * one that is not a positive duration), defaults filled in: a run cannot be given longer
 * to appear than the whole wait, nor looks be spaced below their start.
 *
 * @since 0.2.0
 * @category rules
 */
export const waitLimitsOf = (
  given: { readonly [K in keyof WaitLimits]: number | null | undefined }
): { readonly ok: true; readonly value: WaitLimits } | {
  readonly ok: false
  readonly issues: ReadonlyArray<FieldIssue>
} => {
  // `null` (refused) is kept: only a left-out option takes its default.
  const orDefault = (value: number | null | undefined, fallback: number) => (value === undefined ? fallback : value)
  const timeout = orDefault(given.timeout, WAIT_DEFAULT_MILLIS.timeout)
  const appearWithin = orDefault(given.appearWithin, WAIT_DEFAULT_MILLIS.appearWithin)
  const pollEvery = orDefault(given.pollEvery, WAIT_DEFAULT_MILLIS.pollEvery)
  const maxPollEvery = orDefault(given.maxPollEvery, WAIT_DEFAULT_MILLIS.maxPollEvery)
  if (timeout === null || appearWithin === null || pollEvery === null || maxPollEvery === null) {
    const all = { timeout, appearWithin, pollEvery, maxPollEvery }
    return {
      ok: false,
      issues: Object.entries(all).flatMap(([field, value]) =>
        value === null ? [{ field, problem: WAIT_DURATION_PROBLEM }] : []
      )
    }
  }
  return {
    ok: true,
    value: {
      timeout,
      appearWithin: Math.min(timeout, appearWithin),
      pollEvery,
      maxPollEvery: Math.max(pollEvery, maxPollEvery)
    }
  }
}

/**
 * The run a look found: the one asked for, or the newest of the commit.
 *
 * @since 0.2.0
 * @category rules
 */
export const pickRun = <R extends { readonly id: number }>(
  runs: ReadonlyArray<R>,
  ciRunId: number | undefined
): R | undefined =>
  ciRunId !== undefined ? runs.find((run) => run.id === ciRunId) : runs.reduce<R | undefined>(
    (newest, run) => (newest === undefined || run.id > newest.id ? run : newest),
    undefined
  )

/**
 * What a look leads to.
 *
 * @since 0.2.0
 * @category models
 */
export type WaitStep<R> =
  | { readonly _tag: "Done"; readonly run: R }
  | { readonly _tag: "Failed"; readonly run: R }
  | { readonly _tag: "Cancelled"; readonly run: R }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "Timeout"; readonly run: R }
  | { readonly _tag: "Sleep"; readonly millis: number }

/**
 * The step after look number `polls` (1-based), `elapsedMillis` into the wait, which
 * found `run` (or none). The wait before the next look is cut so that the last look
 * falls on the limit itself, and no outcome is declared early.
 *
 * @since 0.2.0
 * @category rules
 */
export const waitStep = <R extends { readonly status: string }>(
  limits: WaitLimits,
  polls: number,
  run: R | undefined,
  elapsedMillis: number
): WaitStep<R> => {
  if (run === undefined) {
    if (elapsedMillis >= limits.appearWithin) return { _tag: "NotFound" }
  } else {
    switch (runStateOf(run.status)) {
      case "Done":
        return { _tag: "Done", run }
      case "Failed":
        return { _tag: "Failed", run }
      case "Cancelled":
        return { _tag: "Cancelled", run }
      case "Going":
        if (elapsedMillis >= limits.timeout) return { _tag: "Timeout", run }
    }
  }
  const limit = run === undefined ? limits.appearWithin : limits.timeout
  return {
    _tag: "Sleep",
    millis: Math.min(pollDelay(polls, limits.pollEvery, limits.maxPollEvery), limit - elapsedMillis)
  }
}
