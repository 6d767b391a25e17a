/**
 * `datafold-ci diff dbt`: one data diff per model the last dbt command built, production
 * (table 1) against the PR's build (table 2), as the Python SDK's `datafold diff dbt` and
 * data-diff's `--dbt --cloud` create them; then every diff waited for and the report
 * printed and gated as `datafold-ci results` does. The rules (which models, which paths,
 * which key) are `core/dbtDiff/`'s; this module reads the flags and the files, and calls
 * Datafold.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { type DbtDiffPlan, planDbtDiffs, type PlannedDiff } from "../../../core/dbtDiff/plan.ts"
import type { Gate, GateTrip } from "../../../core/diffs/gates.ts"
import type { DataDiffInput } from "../../../core/diffs/input.ts"
import { dataDiffLink } from "../../../core/diffs/paths.ts"
import type { RunReport } from "../../../core/diffs/report.ts"
import { type CommandArgs, describeArgument } from "../../args/CliArgs.ts"
import { UsageError } from "../../args/CliError.ts"
import { parsePositiveWhole } from "../../args/wholeNumber.ts"
import { readReportRequest } from "../../args/reportFlags.ts"
import { attemptTimeoutOf, readWaitSettings } from "../../args/waitFlags.ts"
import { cliDataDiffs } from "../../shell/cliDataDiffs.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import { readSettings } from "../../shell/CliSettings.ts"
import { judgeReport, settleDiffs } from "../../shell/diffsReport.ts"
import type { CommandContext } from "../../shell/context.ts"
import { NoBuiltModelsError } from "../../shell/DiffDbtError.ts"
import { silentProgress } from "../../shell/io.ts"
import { readDbtProject } from "./readProject.ts"
import { skippedMarkdown } from "./skippedModels.ts"

/** How many diffs are created side by side. */
const CREATE_CONCURRENCY = 4

/** The data source, and where it came from. */
export interface DataSource {
  readonly id: number
  readonly source: string
}

/** One planned diff with the diff Datafold created for it. */
export interface CreatedDiff {
  readonly model: PlannedDiff
  readonly diffId: number
  readonly link: string
}

/** What `diff dbt` did: the diffs it would create (`--dry-run`), or the report of those it created. */
export type DiffDbtOutcome =
  | {
    readonly _tag: "DryRun"
    readonly plan: DbtDiffPlan
    readonly dataSource: DataSource
    readonly requests: ReadonlyArray<DataDiffInput>
    readonly keyMissing: boolean
  }
  | {
    readonly _tag: "Diffed"
    readonly plan: DbtDiffPlan
    readonly dataSource: DataSource
    readonly created: ReadonlyArray<CreatedDiff>
    readonly report: RunReport
    readonly gates: ReadonlyArray<Gate>
    readonly trips: ReadonlyArray<GateTrip>
  }

/** What the report's headline calls it. */
export const REPORT_SUBJECT = "dbt diff"

/** `--data-source-id`, else `DATAFOLD_DATA_SOURCE_ID`, else `vars.data_diff.datasource_id`. */
const readDataSource = (
  flag: string | undefined,
  env: CommandContext["env"],
  fromVars: number | null,
  projectFile: string
): Either.Either<DataSource, UsageError> => {
  const variable = env["DATAFOLD_DATA_SOURCE_ID"]
  const given = flag !== undefined && flag.trim() !== ""
    ? { raw: flag, name: "--data-source-id" }
    : variable !== undefined && variable.trim() !== ""
    ? { raw: variable, name: "DATAFOLD_DATA_SOURCE_ID" }
    : undefined
  if (given === undefined) {
    return fromVars === null
      ? Either.left(
        new UsageError({
          problem: "The data source is missing: pass --data-source-id N, set DATAFOLD_DATA_SOURCE_ID, or set " +
            `vars: data_diff: datasource_id: in ${projectFile} (the id of the warehouse connection in Datafold, ` +
            "under Settings → Data sources).",
          command: "diff dbt"
        })
      )
      : Either.right({ id: fromVars, source: `vars.data_diff.datasource_id in ${projectFile}` })
  }
  const id = parsePositiveWhole(given.raw)
  return id === undefined
    ? Either.left(
      new UsageError({
        problem: `${given.name} ${
          describeArgument(given.raw)
        } is invalid: it takes a data source's id, a positive whole number.`,
        command: "diff dbt"
      })
    )
    : Either.right({ id, source: given.name === "--data-source-id" ? "flag --data-source-id" : `env ${given.name}` })
}

/** The body of one diff's `POST /api/v1/datadiffs`: the fields data-diff sends. */
export const diffRequest = (dataSourceId: number, model: PlannedDiff): DataDiffInput => ({
  data_source1_id: dataSourceId,
  data_source2_id: dataSourceId,
  table1: model.prodPath,
  table2: model.devPath,
  pk_columns: model.primaryKey.columns,
  ...(model.filter === null ? {} : { filter1: model.filter, filter2: model.filter }),
  ...(model.includeColumns.length === 0 ? {} : { include_columns: model.includeColumns }),
  ...(model.excludeColumns.length === 0 ? {} : { exclude_columns: model.excludeColumns })
})

/** Runs `datafold-ci diff dbt`. */
export const diffDbt = (args: CommandArgs, context: CommandContext): Effect.Effect<DiffDbtOutcome, CliFailure> =>
  Effect.gen(function* () {
    // Every flag is checked before a file is read or a request sent.
    const request = yield* readReportRequest(args, true)
    const wait = yield* readWaitSettings(args, false)
    const settings = yield* readSettings(
      // No CI config is involved: a placeholder id, as doctor passes one.
      { ...args, ciConfigId: "0", timeout: yield* attemptTimeoutOf(args, false) },
      context.env
    )
    const project = yield* readDbtProject(context.cwd, args.targetFolder, args.projectDir)
    const plan = planDbtDiffs(project.manifest, project.runResults, project.vars)
    if (plan.built === 0) {
      return yield* new NoBuiltModelsError({ file: project.files.runResults, results: project.runResults.length })
    }
    const dataSource = yield* readDataSource(
      args.dataSourceId,
      context.env,
      project.vars.datasourceId,
      project.files.project
    )
    const requests = plan.diffs.map((model) => diffRequest(dataSource.id, model))
    if (args.dryRun) return { _tag: "DryRun", plan, dataSource, requests, keyMissing: settings.keyMissing } as const

    const progress = context.progress ?? silentProgress
    const diffs = yield* cliDataDiffs(settings)
    const created = yield* Effect.forEach(
      plan.diffs,
      (model, index) =>
        Effect.map(diffs.createDataDiff(requests[index] ?? diffRequest(dataSource.id, model)), (diff) => {
          const link = dataDiffLink(diffs.host, diff.id)
          progress.note(`${model.name}: ${link}`)
          return { model, diffId: diff.id, link }
        }),
      { concurrency: CREATE_CONCURRENCY }
    )
    const report = yield* settleDiffs(diffs, created.map((diff) => diff.diffId), wait, REPORT_SUBJECT, progress)
    // The Markdown (a PR comment) also lists the models not diffed.
    const trips = yield* judgeReport(report, request, context.cwd, skippedMarkdown(plan.skipped))
    return { _tag: "Diffed", plan, dataSource, created, report, gates: request.gates, trips } as const
  })
