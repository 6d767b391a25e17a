/**
 * How long to wait before a retry, and how a retry is described in the debug log: the
 * backoff rule both entries follow (exponential from the base, capped, full jitter,
 * `Retry-After` honoured up to the cap).
 *
 * @since 0.1.0
 */
import type { FailureFacts } from "./retryPolicy.ts"

/**
 * The wait before retry number `retry` (0 for the first): a random share (`random` in
 * [0, 1)) of `retryBase · 2^retry` capped at `maxRetryDelay`, or the server's
 * `Retry-After` (capped likewise) when that is longer.
 *
 * @since 0.1.0
 * @category rules
 */
export const retryWaitMillis = (options: {
  readonly retry: number
  readonly retryBaseMillis: number
  readonly maxRetryDelayMillis: number
  readonly retryAfterMillis: number | undefined
  readonly random: number
}): number => {
  const backoff = Math.min(options.retryBaseMillis * 2 ** options.retry, options.maxRetryDelayMillis) * options.random
  return options.retryAfterMillis === undefined
    ? backoff
    : Math.max(backoff, Math.min(options.retryAfterMillis, options.maxRetryDelayMillis))
}

/**
 * The failure a retry follows, for the log: the tag, with the network reason or the status.
 *
 * @since 0.1.0
 * @category messages
 */
export const retryReason = (error: FailureFacts): string =>
  error._tag === "DatafoldNetworkError"
    ? `${error._tag}(${error.reason})`
    : error.status !== undefined
    ? `${error._tag}(${error.status})`
    : error._tag
