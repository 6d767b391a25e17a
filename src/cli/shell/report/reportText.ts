/**
 * A run's report on the terminal: one line per table with its verdict, the row counts
 * and the columns that differ, then what the gates found.
 *
 * @module
 */
import type { GateTrip } from "../../../core/diffs/gates.ts"
import type { RunReport, TableReport } from "../../../core/diffs/report.ts"
import { columnTable, plural } from "../text.ts"

/** The row counts as `+added -removed ~updated`, or a dash when there are none. */
export const rowChanges = (table: TableReport): string =>
  table.rows === null ? "-" : `+${table.rows.added} -${table.rows.removed} ~${table.rows.updated}`

/** The columns that differ, the least matching first, with their match %. */
export const columnChanges = (table: TableReport, most = 3): string => {
  const shown = table.columns.slice(0, most).map((column) => `${column.name} ${formatPercent(column.matchPercent)}`)
  const more = table.columns.length > most ? [`+${table.columns.length - most} more`] : []
  const schema = [
    ...table.columnsAdded.map((name) => `+${name}`),
    ...table.columnsRemoved.map((name) => `-${name}`),
    ...table.typeChanges.map((name) => `${name} (type)`)
  ]
  const all = [...shown, ...more, ...schema]
  return all.length === 0 ? "-" : all.join(", ")
}

/** A match percentage as people read it: `99.5%`, `100%`, never `99.99999%`. */
export const formatPercent = (percent: number): string =>
  `${Number.isInteger(percent) ? percent : percent.toFixed(percent >= 99.9 || percent < 0.1 ? 3 : 1)}%`

/** One sentence for the whole run: how many tables came to what. */
export const reportHeadline = (report: RunReport): string => {
  const { counts } = report
  const total = report.tables.length
  const subject = report.subject ?? `CI run ${report.ciRunId}`
  if (total === 0) return `${subject} has no data diffs.`
  const parts = [
    `${counts.different} different`,
    `${counts.identical} identical`,
    ...(counts.failed > 0 ? [`${counts.failed} failed`] : []),
    ...(counts.cancelled > 0 ? [`${counts.cancelled} cancelled`] : []),
    ...(counts.running > 0 ? [`${counts.running} still running`] : [])
  ]
  return `${subject}: ${plural(total, "table")} diffed, ${parts.join(", ")}.`
}

/** The lines that say which gates tripped, table by table; empty when none did. */
export const tripLines = (trips: ReadonlyArray<GateTrip>): ReadonlyArray<string> =>
  trips.map((trip) => `--fail-on ${trip.gate}: ${trip.table} (diff ${trip.diffId}): ${trip.why}`)

/** The report for stdout. */
export const reportText = (report: RunReport, trips: ReadonlyArray<GateTrip> = []): string => {
  const lines = [reportHeadline(report)]
  if (report.tables.length > 0) {
    lines.push(
      columnTable([
        ["TABLE", "VERDICT", "ROWS", "COLUMNS", "LINK"],
        ...report.tables.map((table) => [
          table.table2,
          table.verdict === "failed" && table.error !== null ? `failed (${table.error.error_type})` : table.verdict,
          rowChanges(table),
          columnChanges(table),
          table.link
        ])
      ]).trimEnd()
    )
  }
  if (report.foreignDiffsSkipped > 0) {
    lines.push(`(${plural(report.foreignDiffsSkipped, "listed diff")} of other runs left out.)`)
  }
  lines.push(...tripLines(trips))
  return lines.join("\n") + "\n"
}
