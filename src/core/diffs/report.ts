/**
 * A CI run's report: its data diffs and what each found, as one plain value that every
 * rendering (terminal, JSON, Markdown, step summary, JUnit) and every gate reads. Built
 * here, before any Effect, from the listed diffs and their `summary_results`; a diff
 * counts only when its own `ci_run_id` is the run's, whatever the listing returned.
 *
 * @since 0.3.0
 */
import { dataDiffLink } from "./paths.ts"
import type { DataDiff, DataDiffFailure, Pair, SummaryResults } from "./shapes.ts"

/**
 * What a table's diff came to.
 *
 * - `identical`: no row or value differs and the schemas match;
 * - `different`: rows or values differ, or the schema changed;
 * - `failed`: the diff failed (see `error`);
 * - `cancelled`: the diff was cancelled;
 * - `running`: no results yet.
 *
 * @since 0.3.0
 * @category models
 */
export type TableVerdict = "identical" | "different" | "failed" | "cancelled" | "running"

/**
 * One column whose values differ.
 *
 * @since 0.3.0
 * @category models
 */
export interface ColumnDifference {
  readonly name: string
  /** Percent of the column's values that matched, 0–100. */
  readonly matchPercent: number
  /** How many values differ (in the sample, when sampled). */
  readonly valuesDifferent: number
}

/**
 * The row counts, as data-diff prints them: added (only in table 2), removed (only in
 * table 1), updated (a value differs), unchanged (in table 1, neither removed nor updated).
 *
 * @since 0.3.0
 * @category models
 */
export interface RowCounts {
  readonly added: number
  readonly removed: number
  readonly updated: number
  readonly unchanged: number
  /** Rows of table 1 and of table 2. */
  readonly total: Pair
}

/**
 * One table's line of a run's report.
 *
 * @since 0.3.0
 * @category models
 */
export interface TableReport {
  readonly diffId: number
  /** `{host}/datadiffs/{id}/overview`. */
  readonly link: string
  /** Table 1 (production) as `DB.SCHEMA.TABLE`, or `query` / `file`. */
  readonly table1: string
  /** Table 2 (the PR's build). */
  readonly table2: string
  readonly verdict: TableVerdict
  /** The diff's `result` as Datafold set it (`different`, `missing-pks`, …), or `null`. */
  readonly result: string | null
  /** `in_db` or `cross_db`, when Datafold said. */
  readonly kind: string | null
  /** `null` until finished, or when Datafold sent no primary-key counts. */
  readonly rows: RowCounts | null
  /** Columns whose values differ, most different first. */
  readonly columns: ReadonlyArray<ColumnDifference>
  readonly columnsAdded: ReadonlyArray<string>
  readonly columnsRemoved: ReadonlyArray<string>
  readonly typeChanges: ReadonlyArray<string>
  /** Whether the schema was compared (same-database diffs only). */
  readonly schemaCompared: boolean
  /** Primary keys that are null, and duplicated, in table 1 and table 2; `null` when not known. */
  readonly primaryKeys: { readonly nulls: Pair; readonly duplicates: Pair } | null
  /** Why the diff failed, for a `failed` verdict. */
  readonly error: DataDiffFailure | null
}

/**
 * A CI run's report.
 *
 * @since 0.3.0
 * @category models
 */
export interface RunReport {
  readonly ciConfigId: number
  readonly ciRunId: number
  /** One line per diff of the run, by diff id. */
  readonly tables: ReadonlyArray<TableReport>
  /** How many tables came to each verdict. */
  readonly counts: Readonly<Record<TableVerdict, number>>
  /** Listed diffs left out because their `ci_run_id` was not the run's (a listing that ignored the filter). */
  readonly foreignDiffsSkipped: number
  /**
   * What the report is of, for its headline, when not a CI run (`dbt diff`, whose diffs
   * belong to no run); the headline says `CI run {ciRunId}` when left out.
   */
  readonly subject?: string | undefined
}

const nameOf = (table: ReadonlyArray<string> | null, query: string | null, raw: unknown): string =>
  table !== null ? table.join(".") : query !== null ? "query" : raw !== undefined && raw !== null ? "file" : "?"

/**
 * Whether a listed diff belongs to the run.
 *
 * @since 0.3.0
 * @category rules
 */
export const belongsToRun = (diff: DataDiff, ciRunId: number): boolean => diff.ci_run_id === ciRunId

/**
 * One table's report from its diff and its results.
 *
 * @since 0.3.0
 * @category rules
 */
export const tableReport = (host: string, diff: DataDiff, summary: SummaryResults): TableReport => {
  const base = {
    diffId: diff.id,
    link: dataDiffLink(host, diff.id),
    table1: nameOf(diff.table1, diff.query1, diff.raw["file1"]),
    table2: nameOf(diff.table2, diff.query2, diff.raw["file2"]),
    result: diff.result,
    kind: diff.kind,
    rows: null,
    columns: [],
    columnsAdded: [],
    columnsRemoved: [],
    typeChanges: [],
    schemaCompared: false,
    primaryKeys: null,
    error: null
  } satisfies Omit<TableReport, "verdict">
  switch (summary._tag) {
    case "Running":
      return { ...base, verdict: "running" }
    case "Cancelled":
      return { ...base, verdict: "cancelled" }
    case "Failed":
      return { ...base, verdict: "failed", error: summary.error }
    case "DependenciesDone":
      return { ...base, verdict: diff.result === "different" ? "different" : "identical" }
    case "SameDatabaseDone":
    case "CrossDatabaseDone": {
      const { pks, values } = summary
      const updated = values?.rows_with_differences ?? 0
      const rows: RowCounts | null = pks === null ? null : {
        added: pks.exclusives[1],
        removed: pks.exclusives[0],
        updated,
        unchanged: Math.max(0, pks.total_rows[0] - updated - pks.exclusives[0]),
        total: pks.total_rows
      }
      const columns = (values?.columns_diff_stats ?? [])
        .filter((column) => column.match !== 100)
        .map((column) => ({
          name: column.column_name,
          matchPercent: column.match,
          valuesDifferent: column.values_different
        }))
        .sort((a, b) => a.matchPercent - b.matchPercent || a.name.localeCompare(b.name))
      const schema = summary._tag === "SameDatabaseDone" ? summary.schema : undefined
      const columnsRemoved = schema?.exclusive_columns[0] ?? []
      const columnsAdded = schema?.exclusive_columns[1] ?? []
      const typeChanges = schema?.column_type_differs ?? []
      const differs = (rows !== null && (rows.added > 0 || rows.removed > 0 || rows.updated > 0)) ||
        columns.length > 0 || columnsAdded.length > 0 || columnsRemoved.length > 0 || typeChanges.length > 0 ||
        (rows === null && diff.result === "different")
      return {
        ...base,
        verdict: differs ? "different" : "identical",
        rows,
        columns,
        columnsAdded,
        columnsRemoved,
        typeChanges,
        schemaCompared: schema !== undefined,
        primaryKeys: pks === null ? null : { nulls: pks.nulls, duplicates: pks.dupes }
      }
    }
  }
}

/**
 * The report of run `ciRunId` from every diff a listing gave (those of other runs are
 * counted and left out) and the results of each of its own, by diff id.
 *
 * @since 0.3.0
 * @category rules
 */
export const runReport = (
  host: string,
  ciConfigId: number,
  ciRunId: number,
  listed: ReadonlyArray<DataDiff>,
  results: ReadonlyMap<number, SummaryResults>
): RunReport => {
  const own = ownDiffs(listed, ciRunId)
  const tables = tablesOf(host, own, results)
  const ids = new Set(own.map((diff) => diff.id))
  return {
    ciConfigId,
    ciRunId,
    tables,
    counts: verdictCounts(tables),
    foreignDiffsSkipped: new Set(listed.filter((diff) => !ids.has(diff.id)).map((diff) => diff.id)).size
  }
}

const tablesOf = (
  host: string,
  diffs: ReadonlyArray<DataDiff>,
  results: ReadonlyMap<number, SummaryResults>
): ReadonlyArray<TableReport> =>
  diffs.map((diff) => tableReport(host, diff, results.get(diff.id) ?? { _tag: "Running", status: "?" }))

/**
 * How many tables came to each verdict.
 *
 * @since 0.3.0
 * @category rules
 */
export const verdictCounts = (tables: ReadonlyArray<TableReport>): Readonly<Record<TableVerdict, number>> => {
  const counts: Record<TableVerdict, number> = { identical: 0, different: 0, failed: 0, cancelled: 0, running: 0 }
  for (const table of tables) counts[table.verdict] += 1
  return counts
}

/**
 * The report of diffs that belong to no CI run (those `diff dbt` or `diff create` made,
 * or any named by id), in the order given; `subject` is what its headline calls it.
 *
 * @since 0.3.0
 * @category rules
 */
export const diffsReport = (
  host: string,
  diffs: ReadonlyArray<DataDiff>,
  results: ReadonlyMap<number, SummaryResults>,
  subject: string
): RunReport => {
  const tables = tablesOf(host, diffs, results)
  return { ciConfigId: 0, ciRunId: 0, tables, counts: verdictCounts(tables), foreignDiffsSkipped: 0, subject }
}

/**
 * The run's own diffs of a listing, each once, by id.
 *
 * @since 0.3.0
 * @category rules
 */
export const ownDiffs = (listed: ReadonlyArray<DataDiff>, ciRunId: number): ReadonlyArray<DataDiff> => {
  const byId = new Map<number, DataDiff>()
  for (const diff of listed) if (belongsToRun(diff, ciRunId)) byId.set(diff.id, diff)
  return [...byId.values()].sort((a, b) => a.id - b.id)
}
