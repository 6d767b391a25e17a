/**
 * effect-datafold for Effect 4: the same client as the main entry, compiled against
 * `effect` 4 (whose HTTP client, Schema and services live in `effect` itself, so no
 * `@effect/platform`).
 *
 * @since 0.2.0
 */

/**
 * The Effect major this entry is compiled against; the main entry is Effect 3.
 *
 * @since 0.2.0
 * @category constants
 */
export const EFFECT_MAJOR = 4
