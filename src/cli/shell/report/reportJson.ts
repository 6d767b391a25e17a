/**
 * A run's report as the `--json` object: the wire's snake_case, every table with its
 * numbers, and the gates that tripped.
 *
 * @module
 */
import type { Gate, GateTrip } from "../../../core/diffs/gates.ts"
import type { RunReport, TableReport } from "../../../core/diffs/report.ts"

/** One table as JSON. */
const tableJson = (table: TableReport) => ({
  diff_id: table.diffId,
  link: table.link,
  table1: table.table1,
  table2: table.table2,
  verdict: table.verdict,
  result: table.result,
  kind: table.kind,
  rows: table.rows,
  columns: table.columns.map((column) => ({
    name: column.name,
    match_percent: column.matchPercent,
    values_different: column.valuesDifferent
  })),
  columns_added: table.columnsAdded,
  columns_removed: table.columnsRemoved,
  type_changes: table.typeChanges,
  primary_keys: table.primaryKeys,
  error: table.error
})

/** The report's fields, with the gates asked for and those that tripped: a waiting command's `report`. */
export const reportBody = (
  report: RunReport,
  gates: ReadonlyArray<Gate> = [],
  trips: ReadonlyArray<GateTrip> = []
): Record<string, unknown> => ({
  ci_config_id: report.ciConfigId,
  ci_run_id: report.ciRunId,
  counts: report.counts,
  tables: report.tables.map(tableJson),
  foreign_diffs_skipped: report.foreignDiffsSkipped,
  fail_on: gates,
  tripped: trips.map((trip) => ({ gate: trip.gate, diff_id: trip.diffId, table: trip.table, why: trip.why }))
})

/** The fields of a report of diffs that belong to no CI run (`diff dbt`, `diff wait`): no run ids. */
export const diffsReportBody = (
  report: RunReport,
  gates: ReadonlyArray<Gate> = [],
  trips: ReadonlyArray<GateTrip> = []
): Record<string, unknown> => {
  const { ci_config_id: _config, ci_run_id: _run, foreign_diffs_skipped: _foreign, ...body } = reportBody(
    report,
    gates,
    trips
  )
  return body
}

/** The report as `results`' one JSON value. */
export const reportJson = (
  report: RunReport,
  gates: ReadonlyArray<Gate> = [],
  trips: ReadonlyArray<GateTrip> = []
): Record<string, unknown> => ({ ok: true, ...reportBody(report, gates, trips) })
