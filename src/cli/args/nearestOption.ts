/**
 * The known option nearest to a mistyped one, for "did you mean --pr-num?": the smallest
 * edit distance, and only when it is small enough to be a typo rather than another word.
 *
 * @module
 */

/** Levenshtein distance: inserts, deletes and substitutions of one character each cost 1. */
const editDistance = (a: string, b: string): number => {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution))
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/**
 * The option (without dashes) in `known` nearest to `name`, when it is at most a third of
 * the name's length away (at least 1, at most 3 edits), or when one starts with the other
 * (`--pr` for `--pr-num`); `undefined` when nothing is that close.
 */
export const nearestOption = (name: string, known: Iterable<string>): string | undefined => {
  const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)))
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const distance = editDistance(name, candidate)
    const prefix = name.length >= 3 && (candidate.startsWith(name) || name.startsWith(candidate))
    if ((distance <= limit || prefix) && distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}
