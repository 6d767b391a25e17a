/**
 * Why the network failed: the closed set of reasons a `DatafoldNetworkError` carries,
 * written once for both Effect majors' schemas.
 *
 * @since 0.1.0
 */

/**
 * Every reason, in the order the schemas list them.
 *
 * @since 0.1.0
 * @category constants
 */
export const NETWORK_FAILURES = [
  "ConnectionRefused",
  "HostNotFound",
  "ConnectionReset",
  "Timeout",
  "Tls",
  "PermissionDenied",
  "Other"
] as const

/**
 * One reason from {@link NETWORK_FAILURES}.
 *
 * @since 0.1.0
 * @category models
 */
export type NetworkFailureReason = typeof NETWORK_FAILURES[number]
