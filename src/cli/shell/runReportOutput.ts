/**
 * How a waiting command shows the report of the run it waited for (`trigger --wait`,
 * `submit --wait`, `dbt upload-and-wait`): after its own lines, the report as `results`
 * prints it; a `report` field under `--json`; the report's table in the step summary;
 * exit 12 when a `--fail-on` gate tripped. Nothing when there is no report.
 *
 * @module
 */
import { ExitCode } from "./ExitCode.ts"
import { reportBody } from "./report/reportJson.ts"
import { reportMarkdown, STEP_SUMMARY_BUDGET_BYTES } from "./report/reportMarkdown.ts"
import { reportText } from "./report/reportText.ts"
import type { ReportedRun } from "./runReport.ts"

/** The report's text, after a blank line; empty without a report. */
export const reportedText = (reported: ReportedRun | undefined): string =>
  reported === undefined ? "" : `\n${reportText(reported.report, reported.trips)}`

/** The `report` field of the `--json` object; no field without a report. */
export const reportedJson = (reported: ReportedRun | undefined): Record<string, unknown> =>
  reported === undefined ? {} : { report: reportBody(reported.report, reported.gates, reported.trips) }

/**
 * The command's own step summary, then the report's Markdown, cut so that the two stay
 * within GitHub's limit together.
 */
export const reportedSummary = (own: string, reported: ReportedRun | undefined): string =>
  reported === undefined ? own : own +
    reportMarkdown(
      reported.report,
      reported.trips,
      STEP_SUMMARY_BUDGET_BYTES - new TextEncoder().encode(own).length
    )

/** Exit 12 when a gate tripped, else 0. */
export const reportedExitCode = (reported: ReportedRun | undefined): ExitCode =>
  reported !== undefined && reported.trips.length > 0 ? ExitCode.GateTripped : ExitCode.Triggered
