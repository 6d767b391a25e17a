/**
 * `datafold-ci diff show ID`: one data diff as it stands, without waiting: its status,
 * its tables and, once it has ended, what it found (the line `results` prints for it).
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { diffsReport, type RunReport } from "../../../core/diffs/report.ts"
import type { DataDiff } from "../../../core/diffs/shapes.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { readDiffIds } from "../../args/diffFlags.ts"
import { dataDiffsFor } from "../../shell/cliDataDiffs.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import type { Command } from "../../shell/Command.ts"
import type { CommandContext } from "../../shell/context.ts"
import { diffsReportBody } from "../../shell/report/reportJson.ts"
import { reportMarkdown } from "../../shell/report/reportMarkdown.ts"
import { reportText } from "../../shell/report/reportText.ts"
import { labelTable } from "../../shell/text.ts"
import { diffsSubject } from "./diffWait.ts"

/** The diff as Datafold lists it, and its report line. */
export interface ShownDiff {
  readonly diff: DataDiff
  readonly report: RunReport
}

/** Runs `datafold-ci diff show`. */
export const diffShow = (args: CommandArgs, context: CommandContext): Effect.Effect<ShownDiff, CliFailure> =>
  Effect.gen(function* () {
    const [id] = yield* readDiffIds(args.ids, "diff show")
    const { diffs } = yield* dataDiffsFor(args, context.env)
    const [diff, summary] = yield* Effect.all([diffs.getDataDiff(id), diffs.dataDiffResults(id)], { concurrency: 2 })
    return { diff, report: diffsReport(diffs.host, [diff], new Map([[diff.id, summary]]), diffsSubject([diff.id])) }
  })

const details = ({ diff }: ShownDiff): string =>
  labelTable([
    ["status", `${diff.status}${diff.result === null ? "" : `, result ${diff.result}`}`],
    ["data sources", `${diff.data_source1_id ?? "?"} <> ${diff.data_source2_id ?? "?"}`],
    ["key", diff.pk_columns.length === 0 ? "(inferred or none)" : diff.pk_columns.join(", ")],
    ...(diff.ci_run_id === null ? [] : [["CI run", String(diff.ci_run_id)] as const]),
    ...(diff.created_at === null ? [] : [["created", diff.created_at] as const]),
    ...(diff.finished_at === null ? [] : [["finished", diff.finished_at] as const])
  ])

/** `diff show` as `main` runs it. */
export const diffShowCommand: Command<ShownDiff> = {
  run: diffShow,
  text: (shown) => `${reportText(shown.report)}${details(shown)}\n`,
  json: (shown) => ({
    ok: true,
    diff: {
      id: shown.diff.id,
      status: shown.diff.status,
      done: shown.diff.done,
      result: shown.diff.result,
      kind: shown.diff.kind,
      data_source1_id: shown.diff.data_source1_id,
      data_source2_id: shown.diff.data_source2_id,
      pk_columns: shown.diff.pk_columns,
      ci_run_id: shown.diff.ci_run_id,
      created_at: shown.diff.created_at,
      finished_at: shown.diff.finished_at
    },
    ...diffsReportBody(shown.report)
  }),
  summary: (shown) => reportMarkdown(shown.report)
}
