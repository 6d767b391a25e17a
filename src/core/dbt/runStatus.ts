/**
 * What a run's `status` means for a wait. Datafold does not document the set of
 * statuses; the Python SDK reads `done`, `failed` and `cancelled` as the end, and
 * anything else as still going.
 *
 * @since 0.2.0
 */

/**
 * How a run stands.
 *
 * @since 0.2.0
 * @category models
 */
export type RunState = "Done" | "Failed" | "Cancelled" | "Going"

/**
 * The state of a status string (compared without case or surrounding space).
 *
 * @since 0.2.0
 * @category rules
 */
export const runStateOf = (status: string): RunState => {
  switch (status.trim().toLowerCase()) {
    case "done":
      return "Done"
    case "failed":
      return "Failed"
    case "cancelled":
    case "canceled":
      return "Cancelled"
    default:
      return "Going"
  }
}

/**
 * How long a wait lasts and how often it looks, in milliseconds: the first look after
 * 2 s, then each wait half as long again, up to 15 s (the SDK looks every 5 s); a run
 * must appear within a minute (as the SDK waits), and finish within an hour.
 *
 * @since 0.2.0
 * @category constants
 */
export const WAIT_DEFAULT_MILLIS = {
  timeout: 60 * 60 * 1000,
  appearWithin: 60 * 1000,
  pollEvery: 2000,
  maxPollEvery: 15_000
} as const

/**
 * The wait before the `poll`-th look (1-based): `first · 1.5^(poll-1)`, capped.
 *
 * @since 0.2.0
 * @category rules
 */
export const pollDelay = (poll: number, first: number, cap: number): number =>
  Math.min(cap, first * 1.5 ** Math.max(0, poll - 1))
