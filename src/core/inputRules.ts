/**
 * The rules and words of input checks that do not depend on a Schema version: what a
 * commit SHA, a table path and a key-column list must be, and how a refused field is
 * named. Each major's schemas carry these words, so both refuse the same input the same way.
 *
 * @since 0.1.0
 */

/**
 * A full commit id as a user may write it: 40 (SHA-1) or 64 (SHA-256) hexadecimal characters.
 *
 * @since 0.1.0
 * @category rules
 */
export const COMMIT_SHA = /^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/

/**
 * A full commit id as sent: lower case.
 *
 * @since 0.1.0
 * @category rules
 */
export const LOWER_COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

/**
 * The words of each input refusal.
 *
 * @since 0.1.0
 * @category messages
 */
export const INPUT_WORDS = {
  missing: "is missing",
  shaType: "must be a full commit SHA (a string of 40 or 64 hexadecimal characters)",
  shaFormat: "must be a full commit SHA (40 or 64 hexadecimal characters), not a short SHA or a branch name",
  branchType: "must be a branch name (a string)",
  wholeNumber: "must be a whole number",
  positive: "must be a positive whole number",
  positiveConfigId: "must be a positive whole number (the id of a CI configuration in Datafold)",
  noDiffs: "must list at least one diff (an empty upload attaches nothing to the run)"
} as const

/**
 * Why a table path cannot be used, or `undefined`: not blank, no surrounding white space.
 *
 * @since 0.1.0
 * @category rules
 */
export const tablePathProblem = (path: string): string | undefined =>
  path.trim().length === 0
    ? "must be a table path such as analytics.prod.orders, not blank"
    : path.trim() !== path
    ? "must not start or end with white space"
    : undefined

/**
 * Why a primary-key column list cannot be used, or `undefined`: each column named once.
 *
 * @since 0.1.0
 * @category rules
 */
export const primaryKeyProblem = (columns: ReadonlyArray<string>): string | undefined => {
  const repeated = columns.filter((column, index) => columns.indexOf(column) !== index)
  return repeated.length === 0
    ? undefined
    : `must name each column once; repeated: ${[...new Set(repeated)].map((c) => JSON.stringify(c)).join(", ")}`
}

/**
 * The name of a refused field: its path joined with dots (`diffs.0.pk`), or `root` for an
 * issue about the whole input.
 *
 * @since 0.1.0
 * @category rules
 */
export const fieldName = (path: ReadonlyArray<PropertyKey>, root: string): string =>
  path.length > 0 ? path.map(String).join(".") : root

/**
 * Union members each report why they did not match; when one member gave a specific
 * reason for a field (a refinement), the others' "expected null" notes only confuse.
 * Keeps, for each field, the specific issues when there are any.
 *
 * @since 0.1.0
 * @category rules
 */
export const mostSpecific = <I>(
  issues: ReadonlyArray<I>,
  field: (issue: I) => string,
  isTypeMismatch: (issue: I) => boolean
): Array<I> => {
  const specific = new Set(issues.filter((issue) => !isTypeMismatch(issue)).map(field))
  return issues.filter((issue) => !isTypeMismatch(issue) || !specific.has(field(issue)))
}
