/**
 * Plain decoders of the data-diff API's answers: lenient where Datafold's shapes have
 * moved (extra fields kept, missing optional ones `null`), strict on what a client acts
 * on (ids, statuses, counts). Each gives the value, or the problem in words, which the
 * Effect shells turn into a `DatafoldResponseError`.
 *
 * @since 0.3.0
 */
import { type Checked, passed, refused } from "../checked.ts"
import type {
  CancelledDataDiff,
  ColumnDiffStats,
  DataDiff,
  DataDiffFailure,
  DataDiffPage,
  OrganizationMeta,
  Pair,
  SummaryPks,
  SummaryResults,
  SummarySchema,
  SummaryValues
} from "./shapes.ts"

type Json = Readonly<Record<string, unknown>>

/** Thrown inside a decoder, caught at its top: the problem in words. */
class Problem {
  constructor(readonly text: string) {}
}

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

const record = (value: unknown, where: string): Json => {
  if (!isRecord(value)) throw new Problem(`${where} is not an object`)
  return value
}

const int = (json: Json, key: string, where: string): number => {
  const value = json[key]
  if (typeof value !== "number" || !Number.isInteger(value)) throw new Problem(`${where}.${key} is not an integer`)
  return value
}

const num = (json: Json, key: string, where: string): number => {
  const value = json[key]
  if (typeof value !== "number" || !Number.isFinite(value)) throw new Problem(`${where}.${key} is not a number`)
  return value
}

const str = (json: Json, key: string, where: string): string => {
  const value = json[key]
  if (typeof value !== "string") throw new Problem(`${where}.${key} is not a string`)
  return value
}

const nullable = <A>(json: Json, key: string, read: () => A): A | null =>
  json[key] === undefined || json[key] === null ? null : read()

const strings = (value: unknown, where: string): ReadonlyArray<string> => {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
    throw new Problem(`${where} is not a list of strings`)
  }
  return value
}

const pair = (json: Json, key: string, where: string): Pair => {
  const value = json[key]
  if (
    !Array.isArray(value) || value.length !== 2 ||
    !value.every((item) => typeof item === "number" && Number.isFinite(item))
  ) throw new Problem(`${where}.${key} is not a pair of numbers`)
  return [value[0] as number, value[1] as number]
}

const run = <A>(decode: () => A): Checked<A> => {
  try {
    return passed(decode())
  } catch (error) {
    if (error instanceof Problem) return refused(error.text)
    throw error
  }
}

const dataDiffOf = (value: unknown, where: string): DataDiff => {
  const json = record(value, where)
  const done = json["done"]
  return {
    id: int(json, "id", where),
    status: str(json, "status", where),
    kind: nullable(json, "kind", () => str(json, "kind", where)),
    done: typeof done === "boolean" ? done : false,
    result: nullable(json, "result", () => str(json, "result", where)),
    data_source1_id: nullable(json, "data_source1_id", () => int(json, "data_source1_id", where)),
    data_source2_id: nullable(json, "data_source2_id", () => int(json, "data_source2_id", where)),
    table1: nullable(json, "table1", () => strings(json["table1"], `${where}.table1`)),
    table2: nullable(json, "table2", () => strings(json["table2"], `${where}.table2`)),
    query1: nullable(json, "query1", () => str(json, "query1", where)),
    query2: nullable(json, "query2", () => str(json, "query2", where)),
    pk_columns: nullable(json, "pk_columns", () => strings(json["pk_columns"], `${where}.pk_columns`)) ?? [],
    ci_run_id: nullable(json, "ci_run_id", () => int(json, "ci_run_id", where)),
    ci_pr_num: nullable(json, "ci_pr_num", () => int(json, "ci_pr_num", where)),
    ci_pr_sha: nullable(json, "ci_pr_sha", () => str(json, "ci_pr_sha", where)),
    created_at: nullable(json, "created_at", () => str(json, "created_at", where)),
    finished_at: nullable(json, "finished_at", () => str(json, "finished_at", where)),
    raw: json
  }
}

/**
 * A diff (`ApiDataDiffFull`, or `ApiDataDiffWithProgressState`).
 *
 * @since 0.3.0
 * @category decoders
 */
export const decodeDataDiff = (json: unknown): Checked<DataDiff> => run(() => dataDiffOf(json, "the diff"))

/**
 * A page of the diffs listing (`ApiDataDiffPage`).
 *
 * @since 0.3.0
 * @category decoders
 */
export const decodeDataDiffPage = (value: unknown): Checked<DataDiffPage> =>
  run(() => {
    const json = record(value, "the page")
    const results = json["results"]
    if (!Array.isArray(results)) throw new Problem("the page.results is not a list")
    return {
      page: int(json, "page", "the page"),
      page_size: int(json, "page_size", "the page"),
      count: int(json, "count", "the page"),
      total_pages: int(json, "total_pages", "the page"),
      results: results.map((item, index) => dataDiffOf(item, `the page.results[${index}]`))
    }
  })

/**
 * `organization/meta`.
 *
 * @since 0.3.0
 * @category decoders
 */
export const decodeOrganizationMeta = (value: unknown): Checked<OrganizationMeta> =>
  run(() => {
    const json = record(value, "the answer")
    return {
      org_id: int(json, "org_id", "the answer"),
      org_name: str(json, "org_name", "the answer"),
      user_id: int(json, "user_id", "the answer")
    }
  })

/**
 * The answer to a cancel.
 *
 * @since 0.3.0
 * @category decoders
 */
export const decodeCancelledDataDiff = (value: unknown): Checked<CancelledDataDiff> =>
  run(() => {
    const json = record(value, "the answer")
    return { id: int(json, "id", "the answer"), status: str(json, "status", "the answer") }
  })

const pksOf = (value: unknown): SummaryPks => {
  const json = record(value, "pks")
  return {
    total_rows: pair(json, "total_rows", "pks"),
    nulls: pair(json, "nulls", "pks"),
    dupes: pair(json, "dupes", "pks"),
    exclusives: pair(json, "exclusives", "pks"),
    distincts: pair(json, "distincts", "pks")
  }
}

const columnOf = (value: unknown, index: number): ColumnDiffStats => {
  const where = `values.columns_diff_stats[${index}]`
  const json = record(value, where)
  return {
    column_name: str(json, "column_name", where),
    match: num(json, "match", where),
    values_different: num(json, "values_different", where)
  }
}

const valuesOf = (value: unknown): SummaryValues => {
  const json = record(value, "values")
  const stats = json["columns_diff_stats"]
  if (stats !== undefined && stats !== null && !Array.isArray(stats)) {
    throw new Problem("values.columns_diff_stats is not a list")
  }
  return {
    total_rows: num(json, "total_rows", "values"),
    rows_with_differences: num(json, "rows_with_differences", "values"),
    total_values: num(json, "total_values", "values"),
    values_with_differences: num(json, "values_with_differences", "values"),
    compared_columns: num(json, "compared_columns", "values"),
    columns_with_differences: num(json, "columns_with_differences", "values"),
    columns_diff_stats: (stats ?? []).map(columnOf)
  }
}

const schemaOf = (value: unknown): SummarySchema => {
  const json = record(value, "schema")
  const exclusive = json["exclusive_columns"]
  const sides = Array.isArray(exclusive) && exclusive.length === 2
    ? [
      strings(exclusive[0], "schema.exclusive_columns[0]"),
      strings(exclusive[1], "schema.exclusive_columns[1]")
    ] as const
    : exclusive === undefined || exclusive === null
    ? [[], []] as const
    : (() => {
      throw new Problem("schema.exclusive_columns is not a pair of lists")
    })()
  return {
    columns_mismatched: json["columns_mismatched"] === undefined ? [0, 0] : pair(json, "columns_mismatched", "schema"),
    column_type_mismatches: json["column_type_mismatches"] === undefined
      ? 0
      : num(json, "column_type_mismatches", "schema"),
    column_reorders: json["column_reorders"] === undefined ? 0 : num(json, "column_reorders", "schema"),
    column_counts: json["column_counts"] === undefined ? [0, 0] : pair(json, "column_counts", "schema"),
    column_type_differs: json["column_type_differs"] === undefined || json["column_type_differs"] === null
      ? []
      : strings(json["column_type_differs"], "schema.column_type_differs"),
    exclusive_columns: sides
  }
}

const failureOf = (value: unknown): DataDiffFailure => {
  // Documented as `{error_type, error_value}` "or a free object": read what is there.
  if (typeof value === "string") return { error_type: "error", error_value: value, is_retryable: null }
  if (!isRecord(value)) return { error_type: "error", error_value: "Datafold gave no error detail", is_retryable: null }
  const type = value["error_type"]
  const text = value["error_value"]
  const retryable = value["is_retryable"]
  return {
    error_type: typeof type === "string" ? type : "error",
    error_value: typeof text === "string" ? text : JSON.stringify(value),
    is_retryable: typeof retryable === "boolean" ? retryable : null
  }
}

/**
 * `summary_results` as its tagged variant. A status no variant has is refused (the
 * answer is not one this client can read), so a caller never mistakes it for finished.
 *
 * @since 0.3.0
 * @category decoders
 */
export const decodeSummaryResults = (value: unknown): Checked<SummaryResults> =>
  run((): SummaryResults => {
    const json = record(value, "the summary")
    const status = str(json, "status", "the summary")
    switch (status.trim().toLowerCase()) {
      case "running":
      case "pending":
      case "waiting":
      case "queued":
      case "processing":
        return { _tag: "Running", status }
      case "failed":
      case "error":
        return { _tag: "Failed", status, error: failureOf(json["error"]) }
      case "cancelled":
      case "canceled":
        return { _tag: "Cancelled", status }
      case "done":
      case "success": {
        const pks = nullable(json, "pks", () => pksOf(json["pks"]))
        const values = nullable(json, "values", () => valuesOf(json["values"]))
        const dependencies = json["dependencies"] ?? null
        if (json["schema"] !== undefined && json["schema"] !== null) {
          return { _tag: "SameDatabaseDone", status, pks, values, schema: schemaOf(json["schema"]), dependencies }
        }
        if (pks !== null || values !== null) return { _tag: "CrossDatabaseDone", status, pks, values, dependencies }
        return { _tag: "DependenciesDone", status, dependencies }
      }
      default:
        throw new Problem(`the summary's status "${status.slice(0, 40)}" is not one Datafold documents`)
    }
  })
