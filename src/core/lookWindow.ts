/**
 * How long a lost trigger may still create its run.
 *
 * @since 0.1.0
 */

/**
 * How long after a lost answer Datafold may still create the run, in attempt
 * timeouts: a server that finishes the create up to this late still yields one run.
 *
 * @since 0.1.0
 * @category constants
 */
export const LOOK_WINDOW_TIMEOUTS = 2
