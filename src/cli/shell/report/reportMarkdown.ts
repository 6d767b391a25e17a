/**
 * A run's report as Markdown: the GitHub step summary, and `--markdown FILE` for a PR
 * comment or a GitLab note. A table per run with the numbers, the changed columns and
 * the links, cut to "and N more tables" before it would pass GitHub's limit.
 *
 * @module
 */
import type { GateTrip } from "../../../core/diffs/gates.ts"
import type { RunReport, TableReport } from "../../../core/diffs/report.ts"
import { code } from "../markdown.ts"
import { columnChanges, reportHeadline, rowChanges } from "./reportText.ts"

/** GitHub refuses a step summary over 1 MiB; the cut leaves room for what other steps write. */
export const STEP_SUMMARY_BUDGET_BYTES = 1024 * 1024 - 64 * 1024

const verdictMark: Readonly<Record<TableReport["verdict"], string>> = {
  identical: "✅ identical",
  different: "⚠️ different",
  failed: "❌ failed",
  cancelled: "⏹️ cancelled",
  running: "⏳ running"
}

const encoder = new TextEncoder()
const utf8Length = (text: string): number => encoder.encode(text).length

const escapeCell = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ")

const row = (table: TableReport): string =>
  `| ${code(table.table2)} | ${verdictMark[table.verdict]} | ${escapeCell(rowChanges(table))} | ${
    escapeCell(columnChanges(table, 5))
  } | [diff ${table.diffId}](${table.link}) |`

/**
 * The report as Markdown, at most `budgetBytes` long (UTF-8): rows that would pass it
 * are cut and counted in a last line.
 */
export const reportMarkdown = (
  report: RunReport,
  trips: ReadonlyArray<GateTrip> = [],
  budgetBytes = STEP_SUMMARY_BUDGET_BYTES
): string => {
  const head = [`### Datafold: ${escapeCell(reportHeadline(report))}`, ""]
  const tripLines = trips.length === 0 ? [] : [
    "",
    "**Gates tripped (`--fail-on`):**",
    "",
    ...trips.map((trip) => `- ${code(trip.gate)}: ${code(trip.table)} (diff ${trip.diffId}): ${escapeCell(trip.why)}`)
  ]
  if (report.tables.length === 0) return [...head, ...tripLines, ""].join("\n") + "\n"
  const header = ["| Table | Verdict | Rows (+ − ~) | Columns | Link |", "|---|---|---|---|---|"]
  const fixed = utf8Length([...head, ...header, ...tripLines, "", "_… and 9999999 more tables._", ""].join("\n"))
  let used = fixed
  const rows: Array<string> = []
  for (const table of report.tables) {
    const line = row(table)
    const size = utf8Length(line) + 1
    if (used + size > budgetBytes) break
    used += size
    rows.push(line)
  }
  const cut = report.tables.length - rows.length
  return [
    ...head,
    ...header,
    ...rows,
    ...(cut > 0 ? ["", `_… and ${cut} more tables._`] : []),
    ...tripLines,
    ""
  ].join("\n") + "\n"
}
