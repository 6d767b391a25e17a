/**
 * The data-diff API's answers as plain data (`/api/v1/datadiffs…`, `organization/meta`),
 * shared by both Effect majors. Only the fields a client acts on are typed; the rest of
 * Datafold's answer is kept as it came in `raw`, since the shapes have changed over time.
 *
 * @since 0.3.0
 */

/**
 * A diff's `JobStatus`; any other string Datafold may add is kept as it came.
 *
 * @since 0.3.0
 * @category models
 */
export type JobStatus =
  | "needs_confirmation"
  | "needs_authentication"
  | "waiting"
  | "queued"
  | "processing"
  | "done"
  | "failed"
  | "cancelled"
  // deno-lint-ignore ban-types
  | (string & {})

/**
 * A data diff as `POST /api/v1/datadiffs`, `GET /api/v1/datadiffs/{id}` and the listing
 * answer it (`ApiDataDiffFull`).
 *
 * @since 0.3.0
 * @category models
 */
export interface DataDiff {
  readonly id: number
  readonly status: JobStatus
  /** `in_db` or `cross_db`; `null` when not sent. */
  readonly kind: string | null
  readonly done: boolean
  /** `error`, `bad-pks`, `different`, `missing-pks`, `identical`, `empty`, or `null`. */
  readonly result: string | null
  readonly data_source1_id: number | null
  readonly data_source2_id: number | null
  readonly table1: ReadonlyArray<string> | null
  readonly table2: ReadonlyArray<string> | null
  readonly query1: string | null
  readonly query2: string | null
  readonly pk_columns: ReadonlyArray<string>
  /** The CI run the diff belongs to (the `id` of the runs listing), when it is a CI diff. */
  readonly ci_run_id: number | null
  readonly ci_pr_num: number | null
  readonly ci_pr_sha: string | null
  readonly created_at: string | null
  readonly finished_at: string | null
  /** The whole answer, as decoded JSON. */
  readonly raw: Readonly<Record<string, unknown>>
}

/**
 * One page of `GET /api/v1/datadiffs` (`ApiDataDiffPage`).
 *
 * @since 0.3.0
 * @category models
 */
export interface DataDiffPage {
  readonly page: number
  readonly page_size: number
  /** Every match, over all pages. */
  readonly count: number
  readonly total_pages: number
  readonly results: ReadonlyArray<DataDiff>
}

/**
 * `GET /api/v1/organization/meta`: whose key it is.
 *
 * @since 0.3.0
 * @category models
 */
export interface OrganizationMeta {
  readonly org_id: number
  readonly org_name: string
  readonly user_id: number
}

/**
 * `POST /api/v1/datadiffs/{id}/cancel`.
 *
 * @since 0.3.0
 * @category models
 */
export interface CancelledDataDiff {
  readonly id: number
  readonly status: JobStatus
}

/**
 * A pair of counts, table 1's then table 2's.
 *
 * @since 0.3.0
 * @category models
 */
export type Pair = readonly [number, number]

/**
 * `pks` of a finished diff (`ApiDataDiffSummaryPKs`): `exclusives[0]` are rows only in
 * table 1 (removed), `exclusives[1]` rows only in table 2 (added).
 *
 * @since 0.3.0
 * @category models
 */
export interface SummaryPks {
  readonly total_rows: Pair
  readonly nulls: Pair
  readonly dupes: Pair
  readonly exclusives: Pair
  readonly distincts: Pair
}

/**
 * One column's comparison: `match` is the percent (0–100) of its values that matched.
 *
 * @since 0.3.0
 * @category models
 */
export interface ColumnDiffStats {
  readonly column_name: string
  readonly match: number
  readonly values_different: number
}

/**
 * `values` of a finished diff (`ApiDataDiffSummaryValues`).
 *
 * @since 0.3.0
 * @category models
 */
export interface SummaryValues {
  readonly total_rows: number
  readonly rows_with_differences: number
  readonly total_values: number
  readonly values_with_differences: number
  readonly compared_columns: number
  readonly columns_with_differences: number
  readonly columns_diff_stats: ReadonlyArray<ColumnDiffStats>
}

/**
 * `schema` of a finished same-database diff (`ApiDataDiffSummarySchema`).
 * `exclusive_columns` is `[only in table 1, only in table 2]`.
 *
 * @since 0.3.0
 * @category models
 */
export interface SummarySchema {
  readonly columns_mismatched: Pair
  readonly column_type_mismatches: number
  readonly column_reorders: number
  readonly column_counts: Pair
  readonly column_type_differs: ReadonlyArray<string>
  readonly exclusive_columns: readonly [ReadonlyArray<string>, ReadonlyArray<string>]
}

/**
 * Why a diff failed (`error` of `ApiDataDiffSummaryForFailed`).
 *
 * @since 0.3.0
 * @category models
 */
export interface DataDiffFailure {
  readonly error_type: string
  readonly error_value: string
  readonly is_retryable: boolean | null
}

/**
 * `GET /api/v1/datadiffs/{id}/summary_results`, told apart by `status`:
 *
 * - `Running`: `running` or `pending`;
 * - `Failed`: `failed` (and, defensively, `error`), with its error;
 * - `Cancelled`: `cancelled` (not documented; read defensively);
 * - `SameDatabaseDone`: `done` or `success` with a `schema` (an in-database diff);
 * - `CrossDatabaseDone`: `done` or `success` with `pks`/`values` and no `schema`;
 * - `DependenciesDone`: `done` or `success` with only `dependencies`.
 *
 * `dependencies` is kept as it came: its shape has changed over time.
 *
 * @since 0.3.0
 * @category models
 */
export type SummaryResults =
  | { readonly _tag: "Running"; readonly status: string }
  | { readonly _tag: "Failed"; readonly status: string; readonly error: DataDiffFailure }
  | { readonly _tag: "Cancelled"; readonly status: string }
  | {
    readonly _tag: "SameDatabaseDone"
    readonly status: string
    readonly pks: SummaryPks | null
    readonly values: SummaryValues | null
    readonly schema: SummarySchema
    readonly dependencies: unknown
  }
  | {
    readonly _tag: "CrossDatabaseDone"
    readonly status: string
    readonly pks: SummaryPks | null
    readonly values: SummaryValues | null
    readonly dependencies: unknown
  }
  | { readonly _tag: "DependenciesDone"; readonly status: string; readonly dependencies: unknown }

/**
 * The finished variants of {@link SummaryResults}.
 *
 * @since 0.3.0
 * @category models
 */
export type FinishedSummary = Extract<
  SummaryResults,
  { readonly _tag: "SameDatabaseDone" | "CrossDatabaseDone" | "DependenciesDone" }
>

/**
 * Whether a diff's results are in: `done` and `success` both mean finished.
 *
 * @since 0.3.0
 * @category rules
 */
export const isFinished = (summary: SummaryResults): summary is FinishedSummary =>
  summary._tag === "SameDatabaseDone" || summary._tag === "CrossDatabaseDone" || summary._tag === "DependenciesDone"

/**
 * Whether a diff has ended, one way or another (finished, failed or cancelled).
 *
 * @since 0.3.0
 * @category rules
 */
export const hasEnded = (summary: SummaryResults): boolean => summary._tag !== "Running"
