/**
 * What a wait does when one look at the runs listing fails. Listing runs is a read, so
 * repeating it is always safe: a failure that may pass (a 5xx, a 429, a reset, a timeout,
 * an answer that could not be read) is looked at again with the wait's own backoff, up
 * to the wait's deadline; a failure that repeating cannot mend (a refused key, an unknown
 * CI config, a refused query, input never sent) ends the wait at once.
 *
 * @since 0.2.0
 */
import { pollDelay } from "./runStatus.ts"
import type { WaitLimits } from "./runWait.ts"

/**
 * A failed listing as the rule sees it: the client error's tag and, for an answer with
 * a status, that status (the same in both Effect majors).
 *
 * @since 0.2.0
 * @category models
 */
export interface ListingFailure {
  readonly _tag: string
  readonly status?: number | undefined
}

/**
 * The statuses that end a wait at once: the key is refused (401, 403), the CI config is
 * unknown (404), the query is refused (422).
 *
 * @since 0.2.0
 * @category constants
 */
export const FINAL_LISTING_STATUSES: ReadonlyArray<number> = [401, 403, 404, 422]

/** The failures that may pass if the listing is asked again, whatever their status. */
const PASSING_TAGS: ReadonlyArray<string> = [
  "DatafoldNetworkError", // a reset, a refused connection, a timeout
  "DatafoldResponseError", // an answer that could not be read
  "DatafoldRateLimitError",
  "DatafoldServerError"
]

/**
 * Whether a failed listing may pass if looked at again: a reset, a timeout, an
 * unreadable answer, a 429 or a 5xx. Input the client refused (never sent), 401, 403,
 * 404, 422 or another 3xx/4xx (the request itself is wrong) end the wait.
 *
 * @since 0.2.0
 * @category rules
 */
export const listingFailureMayPass = (failure: ListingFailure): boolean =>
  failure._tag !== "DatafoldInputError" &&
  !FINAL_LISTING_STATUSES.includes(failure.status ?? 0) &&
  (PASSING_TAGS.includes(failure._tag) || (failure.status ?? 0) >= 500)

/**
 * What a failed look leads to.
 *
 * @since 0.2.0
 * @category models
 */
export type ListingFailureStep =
  | { readonly _tag: "GiveUp" }
  | { readonly _tag: "Sleep"; readonly millis: number }

/**
 * The step after look number `polls` (1-based) failed `elapsedMillis` into the wait:
 * give up when the failure cannot pass or the wait's deadline (its `timeout`: a failed
 * look cannot tell whether the run appeared) is reached, else look again after the
 * wait's usual backoff, cut so that the last look falls on the deadline.
 *
 * @since 0.2.0
 * @category rules
 */
export const listingFailureStep = (
  limits: WaitLimits,
  polls: number,
  failure: ListingFailure,
  elapsedMillis: number
): ListingFailureStep =>
  !listingFailureMayPass(failure) || elapsedMillis >= limits.timeout ? { _tag: "GiveUp" } : {
    _tag: "Sleep",
    millis: Math.min(pollDelay(polls, limits.pollEvery, limits.maxPollEvery), limits.timeout - elapsedMillis)
  }
