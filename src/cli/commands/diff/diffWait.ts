/**
 * `datafold-ci diff wait ID…`: waits for data diffs to end, then prints what they found
 * as `results` prints a run's report, with its gates (exit 12) and files.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import type { Gate, GateTrip } from "../../../core/diffs/gates.ts"
import type { RunReport } from "../../../core/diffs/report.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { readDiffIds } from "../../args/diffFlags.ts"
import { readReportRequest } from "../../args/reportFlags.ts"
import { readWaitSettings } from "../../args/waitFlags.ts"
import { dataDiffsFor } from "../../shell/cliDataDiffs.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import type { Command } from "../../shell/Command.ts"
import type { CommandContext } from "../../shell/context.ts"
import { judgeReport, settleDiffs } from "../../shell/diffsReport.ts"
import { ExitCode } from "../../shell/ExitCode.ts"
import { diffsReportBody } from "../../shell/report/reportJson.ts"
import { reportMarkdown } from "../../shell/report/reportMarkdown.ts"
import { reportText } from "../../shell/report/reportText.ts"

/** The diffs' report once all have ended, with the gates asked for and those that tripped. */
export interface DiffsVerdict {
  readonly report: RunReport
  readonly gates: ReadonlyArray<Gate>
  readonly trips: ReadonlyArray<GateTrip>
}

/** What the report's headline calls the diffs: `data diff 41`, `data diffs 41, 42`. */
export const diffsSubject = (ids: ReadonlyArray<number>): string =>
  ids.length === 1 ? `data diff ${ids[0]}` : `data diffs ${ids.join(", ")}`

/** Runs `datafold-ci diff wait`. */
export const diffWait = (args: CommandArgs, context: CommandContext): Effect.Effect<DiffsVerdict, CliFailure> =>
  Effect.gen(function* () {
    const ids = yield* readDiffIds(args.ids, "diff wait")
    const request = yield* readReportRequest(args, true)
    const wait = yield* readWaitSettings(args, false)
    const { diffs } = yield* dataDiffsFor(args, context.env)
    const report = yield* settleDiffs(diffs, ids, wait, diffsSubject(ids), context.progress)
    const trips = yield* judgeReport(report, request, context.cwd)
    return { report, gates: request.gates, trips }
  })

/** `diff wait` as `main` runs it; exit 12 when a `--fail-on` gate tripped. */
export const diffWaitCommand: Command<DiffsVerdict> = {
  run: diffWait,
  text: (verdict) => reportText(verdict.report, verdict.trips),
  json: (verdict) => ({ ok: true, ...diffsReportBody(verdict.report, verdict.gates, verdict.trips) }),
  summary: (verdict) => reportMarkdown(verdict.report, verdict.trips),
  exitCode: (verdict) => (verdict.trips.length > 0 ? ExitCode.GateTripped : ExitCode.Triggered)
}
