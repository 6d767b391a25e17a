/**
 * The result of a plain check: the value, or the problem in words. The Effect shells
 * turn it into their own `Either` or `Result`.
 *
 * @since 0.1.0
 */

/**
 * A checked value, or why it was refused.
 *
 * @since 0.1.0
 * @category models
 */
export type Checked<A> =
  | { readonly ok: true; readonly value: A }
  | { readonly ok: false; readonly problem: string }

/**
 * A value that passed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const passed = <A>(value: A): Checked<A> => ({ ok: true, value })

/**
 * A refusal, with the problem in words.
 *
 * @since 0.1.0
 * @category constructors
 */
export const refused = <A = never>(problem: string): Checked<A> => ({ ok: false, problem })
