/**
 * How much of an answer the client reads, and what it says when an answer is larger.
 *
 * @since 0.1.0
 */

/**
 * The largest body the client reads: 1 MiB, counted after any content decoding.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_BODY_BYTES = 1024 * 1024

/**
 * The largest answer to a primary-key check, which lists every model of a dbt project:
 * 64 MiB, where 1 MiB would cut off a project of a few thousand models.
 *
 * @since 0.2.0
 * @category constants
 */
export const MAX_PRIMARY_KEYS_BODY_BYTES = 64 * 1024 * 1024

/**
 * The problem of a body over `cap` ({@link MAX_BODY_BYTES} unless the call reads more);
 * `bytes` is how much was seen (the declared length, or what was read before stopping),
 * 0 when unknown.
 *
 * @since 0.1.0
 * @category messages
 */
export const bodyTooLargeProblem = (bytes: number, cap: number = MAX_BODY_BYTES): string =>
  `the body is larger than the ${cap / 1024 / 1024} MiB this client reads${
    bytes > 0 ? ` (at least ${bytes} bytes)` : ""
  }`
