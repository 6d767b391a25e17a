/**
 * Running a call's attempts: the first one straight away, then retries on the schedule
 * for the failures a {@link RetryPolicy} allows, all within the overall deadline.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { deadlineEndedDetail } from "../core/messages.ts"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import type { RetryPolicy } from "../core/retryPolicy.ts"
import { retrySchedule, type RetrySettings } from "./retrySchedule.ts"

/** What the driver needs from the client's options. */
export interface RetryDriverSettings extends RetrySettings {
  /** Across all attempts and the waits between them. */
  readonly deadline: Duration.Duration
  /** No attempt starts with less than this left of the deadline. */
  readonly minAttemptMillis: number
}

/**
 * Run one call's attempt, `run`, given the deadline as epoch milliseconds. `E` is a
 * failure of the call's own besides the Datafold errors (a streamed body's source), which
 * the policy reads like any other.
 */
export type Run<A, E = never> = (deadlineAt: number) => Effect.Effect<A, DatafoldError | E>

/**
 * Run `run` until it succeeds, fails with something the policy does not retry, runs
 * out of retries, or reaches the deadline. `afterFailure` goes on from a first attempt
 * that was made elsewhere (as one step, see `duplicateRun.ts`) and failed with `first`.
 */
export interface RetryDriver {
  <A, E extends { readonly _tag: string } = never>(run: Run<A, E>): Effect.Effect<A, DatafoldError | E>
  readonly afterFailure: <A, E extends { readonly _tag: string } = never>(
    run: Run<A, E>,
    deadlineAt: number,
    first: DatafoldError | E
  ) => Effect.Effect<A, DatafoldError | E>
}

/**
 * A driver for one kind of call. Build it once per client: the schedule is built here,
 * not once per call.
 */
export const makeRetryDriver = (settings: RetryDriverSettings, label: string, policy: RetryPolicy): RetryDriver => {
  const schedule = retrySchedule(settings, label, policy)
  const deadlineMillis = Duration.toMillis(settings.deadline)
  // Never start an attempt, nor wait, past the overall deadline. The first attempt runs
  // outside `Effect.retry`: the schedule's driver is set up only after a failure (the
  // common call succeeds first time), and that failure is replayed into it so the
  // schedule sees exactly what it used to.
  const afterFailure = <A, E extends { readonly _tag: string } = never>(
    run: Run<A, E>,
    deadlineAt: number,
    first: DatafoldError | E
  ): Effect.Effect<A, DatafoldError | E> => {
    if (settings.retries === 0) return Effect.fail(first)
    return Effect.clockWith((clock) => {
      // The deadline-bound schedule too is built only once an attempt has failed.
      // A failure of the call's own (`E`) has a tag no policy retries, so the schedule,
      // written for Datafold errors, stops on it before reading anything else.
      const untilDeadline = (schedule as Schedule.Schedule<unknown, DatafoldError | E>).pipe(
        Schedule.modifyDelay((_, delay) =>
          Duration.min(delay, Duration.millis(Math.max(0, deadlineAt - clock.unsafeCurrentTimeMillis())))
        )
      )
      let replayed = false
      const again = Effect.suspend(() => (replayed ? run(deadlineAt) : ((replayed = true), Effect.fail(first))))
      return Effect.retry(again, {
        schedule: untilDeadline,
        while: () => clock.unsafeCurrentTimeMillis() < deadlineAt
      }).pipe(
        Effect.mapError((error: DatafoldError | E) => {
          // A last attempt that timed out when no other could start any more: the
          // deadline is what ended the call, so say so, however late the timer fired.
          const ended = clock.unsafeCurrentTimeMillis() > deadlineAt - settings.minAttemptMillis
          return ended && error instanceof DatafoldNetworkError && error.reason === "Timeout" &&
              !error.detail.includes("deadline")
            ? new DatafoldNetworkError({
              ...error,
              detail: deadlineEndedDetail(Duration.format(settings.deadline), error.detail)
            })
            : error
        })
      )
    })
  }
  const drive = <A, E extends { readonly _tag: string } = never>(run: Run<A, E>): Effect.Effect<A, DatafoldError | E> =>
    Effect.clockWith((clock) => {
      const deadlineAt = clock.unsafeCurrentTimeMillis() + deadlineMillis
      const attemptOnce = run(deadlineAt)
      if (settings.retries === 0) return attemptOnce
      return Effect.catchAll(attemptOnce, (first) => afterFailure(run, deadlineAt, first))
    })
  return Object.assign(drive, { afterFailure })
}
