/**
 * How a waiting command shows the report of the run it waited for (`trigger --wait`,
 * `submit --wait`, `dbt upload-and-wait`): after its own lines, the report as `results`
 * prints it; a `report` field under `--json`; the report's table in the step summary;
 * exit 12 when a `--fail-on` gate tripped. Nothing when there is no report.
 *
 * The report arrives already shown ({@link ShownReport}, made by `runReport.ts`, which
 * only a command that waits loads), so a trigger that does not wait loads no renderer.
 *
 * @module
 */
import { ExitCode } from "./ExitCode.ts"

/** A run's report, rendered for each of a command's outputs. */
export interface ShownReport {
  /** The terminal's table, with the lines of the gates that tripped. */
  readonly text: string
  /** The `report` field of the `--json` object. */
  readonly json: Record<string, unknown>
  /** The step summary's Markdown, cut to fit in `budgetLeft` bytes. */
  readonly summary: (budgetLeft: (budget: number) => number) => string
  /** Whether a `--fail-on` gate tripped. */
  readonly tripped: boolean
}

/** The report's text, after a blank line; empty without a report. */
export const reportedText = (shown: ShownReport | undefined): string => shown === undefined ? "" : `\n${shown.text}`

/** The `report` field of the `--json` object; no field without a report. */
export const reportedJson = (shown: ShownReport | undefined): Record<string, unknown> =>
  shown === undefined ? {} : { report: shown.json }

/**
 * The command's own step summary, then the report's Markdown, cut so that the two stay
 * within GitHub's limit together.
 */
export const reportedSummary = (own: string, shown: ShownReport | undefined): string =>
  shown === undefined ? own : own + shown.summary((budget) => budget - new TextEncoder().encode(own).length)

/** Exit 12 when a gate tripped, else 0. */
export const reportedExitCode = (shown: ShownReport | undefined): ExitCode =>
  shown?.tripped === true ? ExitCode.GateTripped : ExitCode.Triggered
