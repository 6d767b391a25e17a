/**
 * Running a call's attempts on Effect 4: the first straight away, then retries for the
 * failures a policy allows, waiting as the shared backoff rule says, all within the
 * overall deadline. A loop rather than a `Schedule`: Effect 4's schedules differ from
 * Effect 3's, and the rule itself lives in the shared core.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import { deadlineEndedDetail } from "../../core/messages.ts"
import type { RetryPolicy } from "../../core/retryPolicy.ts"
import { retryLogAttributes } from "../../core/operations.ts"
import { retryReason, retryWaitMillis } from "../../core/retryWait.ts"
import { type DatafoldError, DatafoldNetworkError, DatafoldRateLimitError } from "../DatafoldError.ts"

/** What the driver needs from the client's options. */
export interface RetryDriverSettings {
  readonly retries: number
  readonly retryBase: Duration.Duration
  readonly maxRetryDelay: Duration.Duration
  readonly deadline: Duration.Duration
  readonly minAttemptMillis: number
}

/**
 * Run `run` (given the deadline as epoch milliseconds) with retries. `E` is a failure of
 * the call's own besides the Datafold errors (a streamed body's source): its tag is one
 * no policy retries, so it ends the call as it came.
 */
export type RetryDriver = <A, E extends { readonly _tag: string } = never>(
  run: (deadlineAt: number) => Effect.Effect<A, DatafoldError | E>
) => Effect.Effect<A, DatafoldError | E>

/** A driver for one kind of call; `label` names it in the debug log. */
export const makeRetryDriver = (settings: RetryDriverSettings, label: string, policy: RetryPolicy): RetryDriver => {
  const deadlineMillis = Duration.toMillis(settings.deadline)
  const retryBaseMillis = Duration.toMillis(settings.retryBase)
  const maxRetryDelayMillis = Duration.toMillis(settings.maxRetryDelay)
  return <A, E extends { readonly _tag: string } = never>(
    run: (deadlineAt: number) => Effect.Effect<A, DatafoldError | E>
  ) =>
    Effect.clockWith((clock) => {
      const deadlineAt = clock.currentTimeMillisUnsafe() + deadlineMillis
      const attemptOnce = run(deadlineAt)
      if (settings.retries === 0) return attemptOnce
      const loop = (retry: number): Effect.Effect<A, DatafoldError | E> =>
        Effect.catch(attemptOnce, (error: DatafoldError | E) => {
          if (retry >= settings.retries || !policy(error) || clock.currentTimeMillisUnsafe() >= deadlineAt) {
            return Effect.fail(error)
          }
          return Effect.flatMap(Random.next, (random) => {
            const wait = retryWaitMillis({
              retry,
              retryBaseMillis,
              maxRetryDelayMillis,
              retryAfterMillis: error instanceof DatafoldRateLimitError ? error.retryAfterMillis : undefined,
              random
            })
            const cut = Math.min(wait, Math.max(0, deadlineAt - clock.currentTimeMillisUnsafe()))
            return Effect.logDebug(`${label}: retrying`).pipe(
              Effect.annotateLogs(retryLogAttributes(retry + 1, settings.retries, retryReason(error), wait)),
              Effect.andThen(Effect.sleep(Duration.millis(cut))),
              Effect.andThen(loop(retry + 1))
            )
          })
        })
      return Effect.mapError(loop(0), (error) => {
        // A last attempt that timed out when no other could start any more: the deadline
        // is what ended the call, so say so, however late the timer fired.
        const ended = clock.currentTimeMillisUnsafe() > deadlineAt - settings.minAttemptMillis
        return ended && error instanceof DatafoldNetworkError && error.reason === "Timeout" &&
            !error.detail.includes("deadline")
          ? new DatafoldNetworkError({
            reason: error.reason,
            url: error.url,
            detail: deadlineEndedDetail(Duration.format(settings.deadline), error.detail)
          })
          : error
      })
    })
}
