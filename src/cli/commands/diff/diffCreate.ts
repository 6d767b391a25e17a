/**
 * `datafold-ci diff create`: one data diff from flags (and `--body FILE`), checked whole
 * before anything is sent; prints its id and link. `--wait` waits for it and prints
 * what it found, gated and written as `results` does.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import type { Gate, GateTrip } from "../../../core/diffs/gates.ts"
import type { DataDiffInput } from "../../../core/diffs/input.ts"
import { DATA_DIFFS_PATH, dataDiffLink } from "../../../core/diffs/paths.ts"
import type { RunReport } from "../../../core/diffs/report.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { UsageError } from "../../args/CliError.ts"
import { readDiffBody } from "../../args/DiffBody.ts"
import { readDataDiffInput } from "../../args/diffFlags.ts"
import { readReportRequest } from "../../args/reportFlags.ts"
import { readWaitSettings } from "../../args/waitFlags.ts"
import { dataDiffsFor } from "../../shell/cliDataDiffs.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import type { Command } from "../../shell/Command.ts"
import type { CommandContext } from "../../shell/context.ts"
import { judgeReport, settleDiffs } from "../../shell/diffsReport.ts"
import { ExitCode } from "../../shell/ExitCode.ts"
import { silentProgress } from "../../shell/io.ts"
import { diffsReportBody } from "../../shell/report/reportJson.ts"
import { reportMarkdown } from "../../shell/report/reportMarkdown.ts"
import { reportText } from "../../shell/report/reportText.ts"

/** What `diff create` did: the body it would send, the diff it created, or that diff once ended. */
export type DiffCreateOutcome =
  | { readonly _tag: "DryRun"; readonly body: DataDiffInput; readonly keyMissing: boolean }
  | { readonly _tag: "Created"; readonly diffId: number; readonly status: string; readonly link: string }
  | {
    readonly _tag: "Settled"
    readonly diffId: number
    readonly link: string
    readonly report: RunReport
    readonly gates: ReadonlyArray<Gate>
    readonly trips: ReadonlyArray<GateTrip>
  }

/** Runs `datafold-ci diff create`. */
export const diffCreate = (args: CommandArgs, context: CommandContext): Effect.Effect<DiffCreateOutcome, CliFailure> =>
  Effect.gen(function* () {
    const request = yield* readReportRequest(args, args.wait === true)
    const wait = yield* readWaitSettings(args, false)
    const flags = args.diff
    if (flags === undefined) return yield* new UsageError({ problem: "No diff was given.", command: "diff create" })
    const body = flags.body === undefined ? {} : yield* readDiffBody(flags.body, context.cwd)
    const input = yield* readDataDiffInput(flags, body)
    const { diffs, settings } = yield* dataDiffsFor(args, context.env)
    if (args.dryRun) return { _tag: "DryRun", body: input, keyMissing: settings.keyMissing } as const

    const progress = context.progress ?? silentProgress
    const created = yield* diffs.createDataDiff(input)
    const link = dataDiffLink(diffs.host, created.id)
    if (args.wait !== true) return { _tag: "Created", diffId: created.id, status: created.status, link } as const
    progress.note(`Created data diff ${created.id}: ${link}`)
    const report = yield* settleDiffs(diffs, [created.id], wait, `data diff ${created.id}`, progress)
    const trips = yield* judgeReport(report, request, context.cwd)
    return { _tag: "Settled", diffId: created.id, link, report, gates: request.gates, trips } as const
  })

/** `diff create` as `main` runs it; exit 12 when a `--fail-on` gate tripped. */
export const diffCreateCommand: Command<DiffCreateOutcome> = {
  run: diffCreate,
  text: (outcome) => {
    switch (outcome._tag) {
      case "DryRun":
        return `Dry run: would POST ${DATA_DIFFS_PATH} with this body; nothing was sent.\n` +
          `${JSON.stringify(outcome.body, null, 2)}\n`
      case "Created":
        return `Created data diff ${outcome.diffId} (${outcome.status}): ${outcome.link}\n` +
          `Wait for what it finds: datafold-ci diff wait ${outcome.diffId}\n`
      case "Settled":
        return reportText(outcome.report, outcome.trips)
    }
  },
  json: (outcome) => {
    switch (outcome._tag) {
      case "DryRun":
        return { ok: true, dry_run: true, request: { method: "POST", path: DATA_DIFFS_PATH, body: outcome.body } }
      case "Created":
        return { ok: true, dry_run: false, diff_id: outcome.diffId, status: outcome.status, link: outcome.link }
      case "Settled":
        return {
          ok: true,
          dry_run: false,
          diff_id: outcome.diffId,
          link: outcome.link,
          ...diffsReportBody(outcome.report, outcome.gates, outcome.trips)
        }
    }
  },
  summary: (outcome) =>
    outcome._tag === "DryRun"
      ? "### Datafold: diff create (dry run): nothing was sent\n"
      : outcome._tag === "Created"
      ? `### Datafold: [data diff ${outcome.diffId}](${outcome.link}) created (${outcome.status})\n`
      : reportMarkdown(outcome.report, outcome.trips),
  exitCode: (outcome) =>
    outcome._tag === "Settled" && outcome.trips.length > 0 ? ExitCode.GateTripped : ExitCode.Triggered
}
