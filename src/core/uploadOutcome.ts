/**
 * When an upload found no run waiting: the rules that turn an answer into
 * `DatafoldNoRunWaitingError`'s fields.
 *
 * @since 0.1.0
 */

/**
 * The status that means "no run waiting", from an upload's failure: 404, or another
 * 4xx that is not about the key (401, 403), the content (422) or the rate (429).
 * `undefined` when the failure means something else.
 *
 * @since 0.1.0
 * @category rules
 */
export const noRunWaitingStatus = (
  error: { readonly _tag: string; readonly status?: number | undefined }
): number | undefined =>
  error._tag === "DatafoldNotFoundError" ? 404 : error._tag === "DatafoldRejectedError" ? error.status : undefined

/**
 * The `detail` of an error answer worth repeating in the no-run error (at most 200 characters).
 *
 * @since 0.1.0
 * @category rules
 */
export const noRunWaitingDetail = (error: object): string =>
  "detail" in error && typeof error.detail === "string" ? error.detail.slice(0, 200) : ""

/**
 * A 200 whose ids are both null attached the diffs to nothing.
 *
 * @since 0.1.0
 * @category rules
 */
export const attachedNothing = (
  job: { readonly ci_run_id: number | null; readonly run_id: number | null }
): boolean => job.ci_run_id === null && job.run_id === null
