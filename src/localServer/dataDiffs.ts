/**
 * The local server's data diffs: the diffs its runs get (a trigger's, an upload of PR
 * changes', a `pull_request` dbt upload's), what each one's `summary_results` shows
 * look after look, and the answers' JSON. Plain TypeScript, shared by both majors.
 *
 * @since 0.3.0
 */

/**
 * What a local diff comes to once finished:
 *
 * - `identical`: no row, value or schema difference;
 * - `different`: rows added and removed, values changed in two columns;
 * - `schema`: a column added, one removed, one retyped (rows identical);
 * - `crossDatabase`: a cross-database diff (no `schema`), rows different;
 * - `dependencies`: results with only `dependencies`;
 * - `failed`: the diff fails (its error names a missing table);
 * - `missingPks`: identical values, but null primary keys in table 2;
 * - `duplicatePks`: identical values, but duplicated primary keys in table 2.
 *
 * @since 0.3.0
 * @category models
 */
export type LocalDataDiffOutcome =
  | "identical"
  | "different"
  | "schema"
  | "crossDatabase"
  | "dependencies"
  | "failed"
  | "missingPks"
  | "duplicatePks"

/**
 * One diff a run gets.
 *
 * @since 0.3.0
 * @category models
 */
export interface LocalDataDiffPlan {
  /** Table 1 (production); default `ANALYTICS.PROD.ORDERS` with a number. */
  readonly table1?: ReadonlyArray<string> | undefined
  /** Table 2 (the PR's); default `ANALYTICS.PR.ORDERS` with a number. */
  readonly table2?: ReadonlyArray<string> | undefined
  /** Default `different`. */
  readonly outcome?: LocalDataDiffOutcome | undefined
  /** This diff's `summary_results` statuses, look after look (see `summaryStatuses`). */
  readonly statuses?: ReadonlyArray<string> | undefined
}

/**
 * How the local server's data diffs behave.
 *
 * @since 0.3.0
 * @category models
 */
export interface LocalDataDiffOptions {
  /** The diffs a triggered run gets at once; default none (its diffs come with the upload of PR changes). */
  readonly onTrigger?: ReadonlyArray<LocalDataDiffPlan> | undefined
  /** The diffs a `pull_request` dbt upload's run gets; default one, `different`. */
  readonly onDbtRun?: ReadonlyArray<LocalDataDiffPlan> | undefined
  /**
   * The outcomes of the diffs an upload of PR changes creates (one per uploaded table),
   * in turn, the last repeating; default `["different"]`.
   */
  readonly onUpload?: ReadonlyArray<LocalDataDiffOutcome> | undefined
  /**
   * The statuses each diff's `summary_results` shows, look after look, the last sticking
   * (as `runStatuses` for runs): default `["running", "done"]`. `done` and `success`
   * show the outcome's results (a `failed` outcome shows `failed` instead); `pending`,
   * `running`, `failed`, `cancelled` show themselves.
   */
  readonly summaryStatuses?: ReadonlyArray<string> | undefined
  /** Answer the listing without applying `ci_run_id` (a server that ignores the filter); default false. */
  readonly ignoreCiRunIdFilter?: boolean | undefined
  /** The organization `organization/meta` names; default `Local Datafold`. */
  readonly organizationName?: string | undefined
}

/**
 * A diff as stored: its wire record, how it ends, its statuses and how many looks at
 * its results there have been.
 *
 * @since 0.3.0
 * @category models
 */
export interface StoredDataDiff {
  readonly record: Readonly<Record<string, unknown>>
  readonly outcome: LocalDataDiffOutcome
  readonly statuses: ReadonlyArray<string>
  readonly looks: number
  readonly cancelled: boolean
}

/**
 * The status a diff's results show now (after `looks` looks).
 *
 * @since 0.3.0
 * @category rules
 */
export const currentSummaryStatus = (diff: StoredDataDiff): string => {
  if (diff.cancelled) return "cancelled"
  const status = diff.statuses[Math.min(diff.looks, diff.statuses.length - 1)] ?? "done"
  return (status === "done" || status === "success") && diff.outcome === "failed" ? "failed" : status
}

const isFinishedStatus = (status: string): boolean => status === "done" || status === "success"

/**
 * The diff's `JobStatus` for its status in results.
 *
 * @since 0.3.0
 * @category rules
 */
export const jobStatusOf = (summaryStatus: string): string => {
  switch (summaryStatus) {
    case "pending":
      return "waiting"
    case "running":
      return "processing"
    case "done":
    case "success":
      return "done"
    default:
      return summaryStatus
  }
}

const resultOf = (outcome: LocalDataDiffOutcome): string => {
  switch (outcome) {
    case "identical":
    case "dependencies":
      return "identical"
    case "failed":
      return "error"
    case "missingPks":
      return "missing-pks"
    case "duplicatePks":
      return "bad-pks"
    default:
      return "different"
  }
}

/**
 * The diff as `GET /api/v1/datadiffs/{id}` and the listing answer it, as it stands.
 *
 * @since 0.3.0
 * @category answers
 */
export const dataDiffAnswer = (diff: StoredDataDiff): Record<string, unknown> => {
  const summary = currentSummaryStatus(diff)
  const status = jobStatusOf(summary)
  const ended = status === "done" || status === "failed" || status === "cancelled"
  return {
    ...diff.record,
    status,
    done: ended,
    result: status === "done" || status === "failed" ? resultOf(diff.outcome) : null,
    finished_at: ended ? diff.record["created_at"] : null
  }
}

const pks = (outcome: LocalDataDiffOutcome) => ({
  total_rows: outcome === "different" || outcome === "crossDatabase" ? [1000, 1003] : [1000, 1000],
  nulls: outcome === "missingPks" ? [0, 3] : [0, 0],
  dupes: outcome === "duplicatePks" ? [0, 2] : [0, 0],
  exclusives: outcome === "different" || outcome === "crossDatabase" ? [2, 5] : [0, 0],
  distincts: outcome === "different" || outcome === "crossDatabase" ? [1000, 1003] : [1000, 1000]
})

const values = (outcome: LocalDataDiffOutcome) => {
  const different = outcome === "different" || outcome === "crossDatabase"
  return {
    total_rows: different ? 998 : 1000,
    rows_with_differences: different ? 17 : 0,
    total_values: different ? 2994 : 3000,
    values_with_differences: different ? 20 : 0,
    compared_columns: 3,
    columns_with_differences: different ? 2 : 0,
    columns_diff_stats: [
      { column_name: "amount", match: different ? 98.497 : 100, values_different: different ? 15 : 0 },
      { column_name: "status", match: different ? 99.499 : 100, values_different: different ? 5 : 0 },
      { column_name: "customer_id", match: 100, values_different: 0 }
    ]
  }
}

const schema = (outcome: LocalDataDiffOutcome) =>
  outcome === "schema"
    ? {
      columns_mismatched: [1, 1],
      column_type_mismatches: 1,
      column_reorders: 0,
      column_counts: [4, 4],
      column_type_differs: ["amount"],
      exclusive_columns: [["legacy_flag"], ["new_flag"]]
    }
    : {
      columns_mismatched: [0, 0],
      column_type_mismatches: 0,
      column_reorders: 0,
      column_counts: [4, 4],
      column_type_differs: [],
      exclusive_columns: [[], []]
    }

const noMaterialized = { diff: null, duplicates1: null, duplicates2: null, exclusives: null }

/**
 * The diff's `summary_results` for the status it shows.
 *
 * @since 0.3.0
 * @category answers
 */
export const summaryAnswer = (diff: StoredDataDiff, status: string): Record<string, unknown> => {
  if (status === "failed") {
    const table = (diff.record["table2"] as ReadonlyArray<string> | null)?.join(".") ?? "the query"
    return {
      status,
      error: { error_type: "TableNotFound", error_value: `Table ${table} does not exist`, is_retryable: false }
    }
  }
  if (!isFinishedStatus(status)) return { status }
  switch (diff.outcome) {
    case "dependencies":
      return { status, dependencies: [] }
    case "crossDatabase":
      return { status, pks: pks(diff.outcome), values: values(diff.outcome) }
    default:
      return {
        status,
        pks: pks(diff.outcome),
        values: values(diff.outcome),
        schema: schema(diff.outcome),
        dependencies: [],
        materialized_results: noMaterialized
      }
  }
}
