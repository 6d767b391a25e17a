/**
 * What a data diff is created from (`ApiDataDiffData`) and the listing's query, and the
 * checks made before anything is sent: the two data sources, a table or a query per
 * side (never both), `pk_columns` or `infer_pk` (never both), and the documented ranges.
 *
 * @since 0.3.0
 */
import type { FieldIssue } from "../dbt/dbtInput.ts"

/**
 * The body of `POST /api/v1/datadiffs` (`ApiDataDiffData`). Only the two data sources
 * are required by Datafold; a side is a `table` (path segments, e.g.
 * `["DB", "SCHEMA", "ORDERS"]`), a `query`, or a `file`.
 *
 * @since 0.3.0
 * @category models
 */
export interface DataDiffInput {
  readonly data_source1_id: number
  readonly data_source2_id: number
  readonly table1?: ReadonlyArray<string> | null | undefined
  readonly table2?: ReadonlyArray<string> | null | undefined
  readonly query1?: string | null | undefined
  readonly query2?: string | null | undefined
  readonly file1?: string | null | undefined
  readonly file2?: string | null | undefined
  readonly file1_options?: Readonly<Record<string, unknown>> | null | undefined
  readonly file2_options?: Readonly<Record<string, unknown>> | null | undefined
  readonly pk_columns?: ReadonlyArray<string> | undefined
  readonly infer_pk?: boolean | undefined
  readonly infer_pk_avoid_names?: ReadonlyArray<string> | null | undefined
  readonly infer_pk_avoid_types?: ReadonlyArray<string> | null | undefined
  readonly include_columns?: ReadonlyArray<string> | null | undefined
  readonly exclude_columns?: ReadonlyArray<string> | null | undefined
  readonly columns_to_compare?: ReadonlyArray<string> | null | undefined
  readonly column_mapping?: ReadonlyArray<readonly [string, string]> | null | undefined
  readonly column_rules?:
    | ReadonlyArray<{ readonly column?: string; readonly type?: string; readonly equal_if: string }>
    | null
    | undefined
  readonly filter1?: string | null | undefined
  readonly filter2?: string | null | undefined
  readonly time_travel_point1?: number | string | null | undefined
  readonly time_travel_point2?: number | string | null | undefined
  readonly time_column?: string | null | undefined
  readonly time_aggregate?: "minute" | "hour" | "day" | "week" | "month" | "year" | null | undefined
  readonly time_interval_start?: string | null | undefined
  readonly time_interval_end?: string | null | undefined
  readonly sampling_tolerance?: number | null | undefined
  readonly sampling_confidence?: number | null | undefined
  readonly sampling_threshold?: number | null | undefined
  readonly sampling_ratio?: number | null | undefined
  readonly sampling_max_rows?: number | null | undefined
  readonly diff_tolerance?: number | null | undefined
  readonly tolerance_mode?: "absolute" | "relative" | null | undefined
  readonly diff_tolerances_per_column?:
    | ReadonlyArray<
      { readonly column_name: string; readonly tolerance_value: number; readonly tolerance_mode: string }
    >
    | null
    | undefined
  readonly datetime_tolerance?: number | null | undefined
  readonly materialize_dataset1?: boolean | null | undefined
  readonly materialize_dataset2?: boolean | null | undefined
  readonly materialize_without_sampling?: boolean | undefined
  readonly materialization_destination_id?: number | null | undefined
  readonly compare_duplicates?: boolean | null | undefined
  readonly sort_array_columns?: boolean | null | undefined
  readonly run_profiles?: boolean | null | undefined
  readonly table_modifiers?:
    | ReadonlyArray<"case_insensitive_strings" | "null_equals_empty_string">
    | null
    | undefined
  readonly data_source1_session_parameters?: Readonly<Record<string, unknown>> | null | undefined
  readonly data_source2_session_parameters?: Readonly<Record<string, unknown>> | null | undefined
  readonly bisection_factor?: number | null | undefined
  readonly bisection_threshold?: number | null | undefined
  readonly download_limit?: number | null | undefined
  readonly per_column_diff_limit?: number | null | undefined
  readonly tags?: ReadonlyArray<string> | null | undefined
  readonly archived?: boolean | undefined
  readonly purged?: boolean | undefined
}

/**
 * The listing's sort fields (`ApiSortFilters`).
 *
 * @since 0.3.0
 * @category constants
 */
export const DATA_DIFF_SORT_FIELDS = [
  "id",
  "user_id",
  "user_name",
  "data_source1_id",
  "data_source2_id",
  "table1",
  "table2",
  "query1",
  "query2",
  "pk_columns",
  "include_columns",
  "exclude_columns",
  "time_column",
  "time_aggregate",
  "filter1",
  "filter2",
  "done",
  "time_interval_start",
  "time_interval_end",
  "created_at",
  "updated_at",
  "diff_stats_pks",
  "diff_stats_rows",
  "diff_stats_values",
  "stats.match_ratio",
  "tags",
  "source",
  "status",
  "bisection_factor",
  "bisection_threshold",
  "ci_type",
  "ci_run_id",
  "pr_user_id",
  "pr_username",
  "pr_user_email",
  "pr_user_display_name",
  "pr_num",
  "pr_branch",
  "monitor_id",
  "data_app_type",
  "data_app_data_source_id",
  "data_app_model1_id",
  "data_app_model2_id",
  "data_app_model1_name",
  "data_app_model2_name",
  "user_ref",
  "result",
  "archived",
  "purged",
  "kind"
] as const

/**
 * A sort field of the listing.
 *
 * @since 0.3.0
 * @category models
 */
export type DataDiffSortField = typeof DATA_DIFF_SORT_FIELDS[number]

/**
 * The query of `GET /api/v1/datadiffs`. The filters (`ciRunId`, `status`, `prNumber`)
 * are not declared by Datafold's OpenAPI: a server may ignore them, so whoever needs a
 * filter checks each diff itself (as `runReport` does).
 *
 * @since 0.3.0
 * @category models
 */
export interface ListDataDiffsQuery {
  /** Default 100. */
  readonly pageSize?: number | undefined
  /** The first page asked for; default 1. */
  readonly page?: number | undefined
  readonly orderBy?: DataDiffSortField | undefined
  readonly sortOrder?: "asc" | "desc" | undefined
  readonly ciRunId?: number | undefined
  readonly prNumber?: number | undefined
  /** One or more `JobStatus`es. */
  readonly status?: string | ReadonlyArray<string> | undefined
  readonly accessibleOnly?: boolean | undefined
}

/**
 * The longest page asked for.
 *
 * @since 0.3.0
 * @category constants
 */
export const MAX_PAGE_SIZE = 1000

const isPositiveInt = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value > 0

const isNonBlank = (value: unknown): value is string => typeof value === "string" && value.trim().length > 0

const given = (value: unknown): boolean => value !== undefined && value !== null

/**
 * The problems of a diff id (a positive integer).
 *
 * @since 0.3.0
 * @category rules
 */
export const diffIdIssues = (id: unknown, field = "id"): ReadonlyArray<FieldIssue> =>
  isPositiveInt(id) ? [] : [{ field, problem: "must be a positive whole number (a data diff's id)" }]

const stringList = (
  body: Readonly<Record<string, unknown>>,
  field: string,
  options: { readonly nonEmpty?: boolean } = {}
): ReadonlyArray<FieldIssue> => {
  const value = body[field]
  if (!given(value)) return []
  if (!Array.isArray(value) || !value.every(isNonBlank)) {
    return [{ field, problem: "must be a list of non-blank strings" }]
  }
  if (options.nonEmpty === true && value.length === 0) return [{ field, problem: "must not be empty" }]
  return []
}

const range = (
  body: Readonly<Record<string, unknown>>,
  field: string,
  low: number,
  high: number,
  words: string
): ReadonlyArray<FieldIssue> => {
  const value = body[field]
  if (!given(value)) return []
  return typeof value === "number" && value > low && value < high ? [] : [{ field, problem: words }]
}

const side = (body: Readonly<Record<string, unknown>>, n: 1 | 2): ReadonlyArray<FieldIssue> => {
  const table = `table${n}`, query = `query${n}`, file = `file${n}`
  const chosen = [table, query, file].filter((field) => given(body[field]))
  if (chosen.length === 0) {
    return [{
      field: table,
      problem:
        `side ${n} needs a table (${table}: path segments such as ["DB", "SCHEMA", "TABLE"]) or a query (${query})`
    }]
  }
  if (chosen.length > 1) {
    return [{ field: chosen.join("/"), problem: `give only one of ${table}, ${query} and ${file} for side ${n}` }]
  }
  const issues: Array<FieldIssue> = [...stringList(body, table, { nonEmpty: true })]
  if (given(body[query]) && !isNonBlank(body[query])) issues.push({ field: query, problem: "must be non-blank SQL" })
  if (given(body[file]) && !isNonBlank(body[file])) issues.push({ field: file, problem: "must be a file's URI" })
  return issues
}

/**
 * Every problem of a create body, each with its field; none when it may be sent.
 *
 * @since 0.3.0
 * @category rules
 */
export const dataDiffInputIssues = (input: unknown): ReadonlyArray<FieldIssue> => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return [{ field: "body", problem: "must be an object with data_source1_id, data_source2_id and both sides" }]
  }
  const body = input as Readonly<Record<string, unknown>>
  const issues: Array<FieldIssue> = []
  for (const field of ["data_source1_id", "data_source2_id"]) {
    if (!isPositiveInt(body[field])) {
      issues.push({
        field,
        problem: body[field] === undefined ? "is missing" : "must be a positive whole number (a data source's id)"
      })
    }
  }
  issues.push(...side(body, 1), ...side(body, 2))
  const pk = body["pk_columns"]
  const pkGiven = Array.isArray(pk) && pk.length > 0
  issues.push(...stringList(body, "pk_columns"))
  if (given(body["infer_pk"]) && typeof body["infer_pk"] !== "boolean") {
    issues.push({ field: "infer_pk", problem: "must be true or false" })
  }
  const infer = body["infer_pk"] === true
  if (pkGiven && infer) {
    issues.push({ field: "pk_columns/infer_pk", problem: "give the primary key columns or infer_pk, not both" })
  }
  if (!pkGiven && !infer) {
    issues.push({
      field: "pk_columns",
      problem: "give the primary key columns (pk_columns) or set infer_pk to true to have Datafold find them"
    })
  }
  if (!infer && (given(body["infer_pk_avoid_names"]) || given(body["infer_pk_avoid_types"]))) {
    issues.push({ field: "infer_pk_avoid_names", problem: "applies only with infer_pk set to true" })
  }
  for (const field of ["include_columns", "exclude_columns", "columns_to_compare", "tags"]) {
    issues.push(...stringList(body, field))
  }
  issues.push(
    ...range(body, "sampling_tolerance", 0, 1, "must be between 0 and 1 (exclusive)"),
    ...range(body, "sampling_confidence", 0, 100, "must be between 0 and 100 (exclusive)"),
    ...range(body, "sampling_ratio", 0, 1, "must be between 0 and 1 (exclusive)")
  )
  const tolerance = body["diff_tolerance"]
  if (given(tolerance) && (typeof tolerance !== "number" || !(tolerance >= 0))) {
    issues.push({ field: "diff_tolerance", problem: "must be a number, 0 or more" })
  }
  const datetime = body["datetime_tolerance"]
  if (given(datetime) && !(Number.isInteger(datetime) && (datetime as number) >= 0 && (datetime as number) <= 6)) {
    issues.push({ field: "datetime_tolerance", problem: "must be a whole number from 0 to 6" })
  }
  return issues
}

/**
 * The body as sent: the input's own fields, without those left `undefined`.
 *
 * @since 0.3.0
 * @category rules
 */
export const dataDiffBody = (input: DataDiffInput): string =>
  JSON.stringify(
    Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined))
  )

/**
 * The problems of a listing query.
 *
 * @since 0.3.0
 * @category rules
 */
export const listQueryIssues = (query: ListDataDiffsQuery): ReadonlyArray<FieldIssue> => {
  const issues: Array<FieldIssue> = []
  if (query.pageSize !== undefined && !(isPositiveInt(query.pageSize) && query.pageSize <= MAX_PAGE_SIZE)) {
    issues.push({ field: "pageSize", problem: `must be a whole number from 1 to ${MAX_PAGE_SIZE}` })
  }
  if (query.page !== undefined && !isPositiveInt(query.page)) {
    issues.push({ field: "page", problem: "must be a positive whole number" })
  }
  if (query.orderBy !== undefined && !(DATA_DIFF_SORT_FIELDS as ReadonlyArray<string>).includes(query.orderBy)) {
    issues.push({ field: "orderBy", problem: `must be one of Datafold's sort fields, such as id or created_at` })
  }
  if (query.sortOrder !== undefined && query.sortOrder !== "asc" && query.sortOrder !== "desc") {
    issues.push({ field: "sortOrder", problem: 'must be "asc" or "desc"' })
  }
  if (query.ciRunId !== undefined) issues.push(...diffIdIssues(query.ciRunId, "ciRunId"))
  if (query.prNumber !== undefined && !isPositiveInt(query.prNumber)) {
    issues.push({ field: "prNumber", problem: "must be a positive whole number" })
  }
  return issues
}

/**
 * The listing's URL parameters for one page, in the order they are sent.
 *
 * @since 0.3.0
 * @category rules
 */
export const listQueryParams = (query: ListDataDiffsQuery, page: number): Record<string, string> => {
  const status = query.status === undefined
    ? undefined
    : typeof query.status === "string"
    ? query.status
    : query.status.join(",")
  return {
    page: String(page),
    page_size: String(query.pageSize ?? 100),
    ...(query.orderBy === undefined ? {} : { order_by: query.orderBy }),
    ...(query.sortOrder === undefined ? {} : { sort_order: query.sortOrder }),
    ...(query.ciRunId === undefined ? {} : { ci_run_id: String(query.ciRunId) }),
    ...(query.prNumber === undefined ? {} : { pr_num: String(query.prNumber) }),
    ...(status === undefined ? {} : { status }),
    ...(query.accessibleOnly === undefined ? {} : { accessible_only: String(query.accessibleOnly) })
  }
}
