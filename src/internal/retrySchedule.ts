/**
 * When to try again: exponential backoff with full jitter, `Retry-After` honoured up to
 * a cap, and only for the failures a {@link RetryPolicy} retries.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type { DatafoldError } from "../DatafoldError.ts"
import { retryLogAttributes } from "../core/operations.ts"
import type { RetryPolicy } from "../core/retryPolicy.ts"
import { retryReason } from "../core/retryWait.ts"

/** What the schedule needs from the client's options. */
export interface RetrySettings {
  readonly retries: number
  readonly retryBase: Duration.Duration
  readonly maxRetryDelay: Duration.Duration
}

const retryAfterOf = (error: DatafoldError): Duration.Duration | undefined =>
  error._tag === "DatafoldRateLimitError" && error.retryAfterMillis !== undefined
    ? Duration.millis(error.retryAfterMillis)
    : undefined

/**
 * The retry schedule: up to `retries` more attempts; the n-th waits a random time
 * between zero and `retryBase · 2ⁿ` (capped at `maxRetryDelay`), or the server's
 * `Retry-After` when that is longer (capped the same way), for the failures `policy`
 * retries. Each retry is logged at debug level with the attempt and the reason.
 */
export const retrySchedule = (
  settings: RetrySettings,
  label: string,
  policy: RetryPolicy
): Schedule.Schedule<unknown, DatafoldError> =>
  Schedule.exponential(settings.retryBase).pipe(
    Schedule.modifyDelay((_, delay) => Duration.min(delay, settings.maxRetryDelay)),
    Schedule.jitteredWith({ min: 0, max: 1 }),
    Schedule.intersect(Schedule.recurs(settings.retries)),
    Schedule.intersect(Schedule.identity<DatafoldError>()),
    Schedule.whileInput((error: DatafoldError) => policy(error)),
    Schedule.modifyDelayEffect(([[, attempt], error], delay) => {
      const retryAfter = retryAfterOf(error)
      const wait = retryAfter === undefined
        ? delay
        : Duration.max(delay, Duration.min(retryAfter, settings.maxRetryDelay))
      return Effect.as(
        Effect.logDebug(`${label}: retrying`).pipe(
          Effect.annotateLogs(
            retryLogAttributes(attempt + 1, settings.retries, retryReason(error), Duration.toMillis(wait))
          )
        ),
        wait
      )
    })
  )
