/**
 * `Retry-After` as a delay: either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 */

/** Milliseconds to wait, or `undefined` when the header is absent or not understood. */
export const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
