/**
 * The words of the data-diff errors, built from their fields, so both Effect majors'
 * classes read alike.
 *
 * @since 0.3.0
 */
import { formatElapsed } from "../elapsed.ts"

/**
 * A diff failed.
 *
 * @since 0.3.0
 * @category messages
 */
export const diffFailedMessage = (error: {
  readonly diffId: number
  readonly errorType: string
  readonly errorValue: string
  readonly link: string
}): string =>
  `Data diff ${error.diffId} failed (${error.errorType}: ${error.errorValue}). ` +
  `Open ${error.link} for the details; fix the tables, keys or query it names, then create the diff again.`

/**
 * A diff was cancelled.
 *
 * @since 0.3.0
 * @category messages
 */
export const diffCancelledMessage = (error: { readonly diffId: number; readonly link: string }): string =>
  `Data diff ${error.diffId} was cancelled before it finished (${error.link}); create it again to get its results.`

/**
 * A diff did not finish in time.
 *
 * @since 0.3.0
 * @category messages
 */
export const diffTimeoutMessage = (error: {
  readonly diffId: number
  readonly status: string
  readonly waitedMillis: number
  readonly link: string
}): string =>
  `Data diff ${error.diffId} was still ${error.status} after ${formatElapsed(error.waitedMillis)}. ` +
  `It keeps running on Datafold (${error.link}): wait longer (a larger timeout), or sample large tables.`
