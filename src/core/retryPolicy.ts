/**
 * Which failures another attempt may fix, and which may have reached Datafold. The rules
 * read only an error's tag, reason and status, so both Effect majors' errors fit.
 *
 * @since 0.1.0
 */

/**
 * What the rules read of a Datafold error.
 *
 * @since 0.1.0
 * @category models
 */
export interface FailureFacts {
  readonly _tag: string
  readonly reason?: string | undefined
  readonly status?: number | undefined
}

/**
 * Whether a failed attempt is worth another.
 *
 * @since 0.1.0
 * @category models
 */
export type RetryPolicy = (error: FailureFacts) => boolean

/**
 * Failures after which the request may have reached Datafold and started a run: the
 * connection was cut or timed out after sending, or a gateway lost Datafold's answer.
 *
 * @since 0.1.0
 * @category rules
 */
export const mayHaveBeenDelivered = (error: FailureFacts): boolean => {
  switch (error._tag) {
    case "DatafoldNetworkError":
      return error.reason === "ConnectionReset" || error.reason === "Timeout" || error.reason === "Other"
    case "DatafoldServerError":
      return error.status === 502 || error.status === 504
    default:
      return false
  }
}

/**
 * Failures worth another attempt: the connection failed or was cut, Datafold is rate
 * limiting, or a gateway or Datafold is briefly unavailable. Never 4xx answers about the
 * request itself: they would fail the same way again. For calls that are safe to repeat
 * (reads), or whose caller looks for the earlier attempt's effect first (trigger).
 *
 * @since 0.1.0
 * @category rules
 */
export const retryTransient: RetryPolicy = (error) => {
  switch (error._tag) {
    case "DatafoldNetworkError":
      return error.reason !== "HostNotFound" && error.reason !== "Tls" && error.reason !== "PermissionDenied"
    case "DatafoldRateLimitError":
      return true
    case "DatafoldServerError":
      return error.status === 502 || error.status === 503 || error.status === 504
    default:
      return false
  }
}

/**
 * Only the transient failures after which the request surely did not reach Datafold
 * (refused, rate limited, 503): for writes that cannot be looked up afterwards, where a
 * second delivery would do the work twice.
 *
 * @since 0.1.0
 * @category rules
 */
export const retryUndelivered: RetryPolicy = (error) => retryTransient(error) && !mayHaveBeenDelivered(error)
