/**
 * Durations for people, in messages and CLI output.
 *
 * @since 0.2.0
 */

/**
 * A duration for people: `850ms`, `42s`, `3m 05s`, `1h 02m`.
 *
 * @since 0.2.0
 * @category formatting
 */
export const formatElapsed = (millis: number): string => {
  if (millis < 1000) return `${Math.max(0, Math.round(millis))}ms`
  const seconds = Math.floor(millis / 1000)
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`
}
