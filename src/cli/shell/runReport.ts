/**
 * Reporting a CI run: the step `results` and every command that waits for a run
 * (`trigger --wait`, `submit --wait`, `dbt upload-and-wait`) end with. The run's diffs
 * are waited for, the `--fail-on` gates judged, and the `--markdown` and `--junit` files
 * written (the flags are read in `args/reportFlags.ts`; how the report shows is in
 * `runReportOutput.ts`).
 *
 * @module
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { type Gate, type GateTrip, gateTrips } from "../../core/diffs/gates.ts"
import type { RunReport } from "../../core/diffs/report.ts"
import type { ReportRequest } from "../args/reportFlags.ts"
import { cliDataDiffs } from "./cliDataDiffs.ts"
import type { CliFailure } from "./CliFailure.ts"
import type { CliSettings } from "./CliSettings.ts"
import { writeReportFiles } from "./report/reportFiles.ts"
import { reportBody } from "./report/reportJson.ts"
import { reportMarkdown, STEP_SUMMARY_BUDGET_BYTES } from "./report/reportMarkdown.ts"
import { reportText } from "./report/reportText.ts"
import type { ShownReport } from "./runReportOutput.ts"

/** A run's report, the gates asked for and what tripped them. */
export interface ReportedRun {
  readonly report: RunReport
  readonly gates: ReadonlyArray<Gate>
  readonly trips: ReadonlyArray<GateTrip>
}

/** How long to wait for the run's diffs to finish, and how often to look. */
export interface DiffsWait {
  readonly timeout: Duration.Duration
  readonly pollEvery: Duration.Duration
}

/**
 * The report of CI run `ciRunId`: its diffs' finished results (a diff still running is
 * waited for, so a gate never passes on a table Datafold has not compared yet), judged
 * by the gates, with the files asked for written under `cwd`.
 */
export const reportRun = (
  settings: CliSettings,
  ciRunId: number,
  request: ReportRequest,
  wait: DiffsWait,
  cwd: string
): Effect.Effect<ReportedRun, CliFailure> =>
  Effect.gen(function* () {
    const diffs = yield* cliDataDiffs(settings)
    const report = yield* diffs.runReport(settings.ciConfigId.value, ciRunId, {
      wait: { timeout: wait.timeout, pollEvery: wait.pollEvery }
    })
    const trips = gateTrips(report, request.gates)
    yield* writeReportFiles(request.files, cwd, report, trips)
    return { report, gates: request.gates, trips }
  })

/** The report rendered for a waiting command's outputs (text, `--json`, step summary, exit code). */
export const showReport = (reported: ReportedRun): ShownReport => ({
  text: reportText(reported.report, reported.trips),
  json: reportBody(reported.report, reported.gates, reported.trips),
  summary: (budgetLeft) => reportMarkdown(reported.report, reported.trips, budgetLeft(STEP_SUMMARY_BUDGET_BYTES)),
  tripped: reported.trips.length > 0
})
