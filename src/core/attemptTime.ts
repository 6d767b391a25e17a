/**
 * The least time an attempt is started with.
 *
 * @since 0.1.0
 */

/**
 * The least time worth starting an attempt with: a request to Datafold over TLS takes
 * tens to hundreds of milliseconds, so an attempt started with less left of the
 * deadline could only time out. Lower when the timeout or the deadline is lower.
 *
 * @since 0.1.0
 * @category constants
 */
export const MIN_ATTEMPT_MILLIS = 250
