/**
 * Which failures another attempt may fix, and which may have reached Datafold.
 */
import type { DatafoldError } from "../DatafoldError.ts"

/** Whether a failed attempt is worth another. */
export type RetryPolicy = (error: DatafoldError) => boolean

/**
 * Failures after which the request may have reached Datafold and started a run: the
 * connection was cut or timed out after sending, or a gateway lost Datafold's answer.
 */
export const mayHaveBeenDelivered = (error: DatafoldError): boolean => {
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
 */
export const retryUndelivered: RetryPolicy = (error) => retryTransient(error) && !mayHaveBeenDelivered(error)
