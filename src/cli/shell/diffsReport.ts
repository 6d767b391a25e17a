/**
 * Waits for data diffs that belong to no CI run and reports them as `results` reports a
 * run: `diff dbt`, `diff create --wait` and `diff wait` all end here. Progress says how
 * many have finished; each diff is read once more when all have ended, since its
 * `result` (`missing-pks`, …) and `kind` are set only then.
 *
 * @module
 */
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { type GateTrip, gateTrips } from "../../core/diffs/gates.ts"
import { diffsReport, type RunReport } from "../../core/diffs/report.ts"
import type { DatafoldDataDiffTimeoutError } from "../../DataDiffError.ts"
import type { DataDiffsService } from "../../DataDiffsService.ts"
import type { DatafoldError } from "../../DatafoldError.ts"
import type { ReportRequest } from "../args/reportFlags.ts"
import { type Progress, silentProgress } from "./io.ts"
import { writeReportFiles } from "./report/reportFiles.ts"
import type { ReportFileError } from "./ResultsError.ts"
import { plural } from "./text.ts"

/** How many diffs are looked at side by side. */
const WAIT_CONCURRENCY = 8

/** How long to wait for the diffs, and the first wait between looks. */
export interface DiffsWait {
  readonly timeout: Duration.Duration
  readonly pollEvery: Duration.Duration
}

/** Waits for every diff to end, then reads each and builds the report named `subject`. */
export const settleDiffs = (
  diffs: DataDiffsService,
  ids: ReadonlyArray<number>,
  wait: DiffsWait,
  subject: string,
  progress: Progress = silentProgress
): Effect.Effect<RunReport, DatafoldError | DatafoldDataDiffTimeoutError> =>
  Effect.gen(function* () {
    const finished = new Set<number>()
    const settled = yield* diffs.waitForDataDiffs(ids, {
      timeout: wait.timeout,
      pollEvery: wait.pollEvery,
      concurrency: WAIT_CONCURRENCY,
      onProgress: ({ diffId, summary }) =>
        Effect.sync(() => {
          if (summary._tag !== "Running") finished.add(diffId)
          progress.status(`${finished.size} of ${plural(ids.length, "diff")} finished`, String(finished.size))
        })
    })
    progress.end()
    const records = yield* Effect.forEach(ids, (id) => diffs.getDataDiff(id), { concurrency: WAIT_CONCURRENCY })
    return diffsReport(diffs.host, records, new Map(settled.map((diff) => [diff.diffId, diff.summary])), subject)
  })

/**
 * The gates of `--fail-on` that the report trips, once `--markdown` and `--junit` are
 * written (after the report, `markdownAppendix`).
 */
export const judgeReport = (
  report: RunReport,
  request: ReportRequest,
  cwd: string,
  markdownAppendix = ""
): Effect.Effect<ReadonlyArray<GateTrip>, ReportFileError> => {
  const trips = gateTrips(report, request.gates)
  return Effect.as(writeReportFiles(request.files, cwd, report, trips, markdownAppendix), trips)
}
