/**
 * A streamed body is sent by `fetch` with `redirect: "error"`: in any other mode Node's
 * fetch keeps a copy of the whole body in case it must send it again (undici tees the
 * stream), however large. A redirect is then a rejection that names neither its status
 * nor its target; it is answered as a redirect all the same, so it is refused with the
 * same words as any other (see `errorOutcome`).
 *
 * @since 0.2.0
 */

/**
 * The status a redirect refused by `fetch`'s "error" mode is answered as: a 3xx, which one
 * unknown.
 *
 * @since 0.2.0
 * @category constants
 */
export const REFUSED_REDIRECT_STATUS = 300

/**
 * Whether `fetch` rejected because the answer was a redirect (Node, Deno and Bun word it
 * each their way, on the error or its cause).
 *
 * @since 0.2.0
 * @category rules
 */
export const isRedirectRefusal = (error: unknown): boolean => {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
    if (/redirect/i.test(cause.message)) return true
  }
  return false
}
