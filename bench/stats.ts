/**
 * Small statistics over samples of milliseconds.
 */

/** The q-quantile (0 ≤ q ≤ 1) of the samples, nearest rank; `NaN` when empty. */
export const quantile = (samples: ReadonlyArray<number>, q: number): number => {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]!
}

/** The median of the samples. */
export const median = (samples: ReadonlyArray<number>): number => quantile(samples, 0.5)

/** The arithmetic mean of the samples. */
export const mean = (samples: ReadonlyArray<number>): number =>
  samples.length === 0 ? Number.NaN : samples.reduce((sum, x) => sum + x, 0) / samples.length

/** A ratio rounded to two decimals. */
export const ratio = (value: number, baseline: number): number => Math.round((value / baseline) * 100) / 100

/** Milliseconds now, sub-millisecond. */
export const now = (): number => performance.now()
