/**
 * `datafold-ci submit`: upload PR/MR changes (the SDK's diffs file) to the CI run
 * waiting for the pull request, or (with `--dry-run`) describe the upload.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import type { CiDiffInput } from "../../../CiDiff.ts"
import type { PreparedSubmit } from "../../../DatafoldClientService.ts"
import type { SubmitCiJob } from "../../../SubmitCiJob.ts"
import type { CiSystemName } from "../../facts/CiEnvironment.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { cliClient } from "../../shell/cliClient.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import { UsageError } from "../../args/CliError.ts"
import { readSettings } from "../../shell/CliSettings.ts"
import type { FollowedRun } from "../../shell/followRun.ts"
import type { ShownReport } from "../../shell/runReportOutput.ts"
import { waitAndReport } from "../../shell/waitAndReport.ts"
import { readReportRequest } from "../../args/reportFlags.ts"
import { attemptTimeoutOf, readWaitSettings } from "../../args/waitFlags.ts"
import { diffsSource, readDiffs } from "../../args/DiffsFile.ts"
import type { Sourced } from "../../facts/PrFact.ts"
import { silentProgress } from "../../shell/io.ts"
import { resolvePrNumber } from "../../facts/resolvePrFacts.ts"
import type { CommandContext } from "../../shell/context.ts"

/** What an upload was about. */
export interface SubmitReport {
  readonly ciConfigId: Sourced<number>
  readonly host: Sourced<string>
  readonly prNumber: Sourced<number>
  readonly system: CiSystemName | undefined
  /** Where the diffs were read: a file name or `stdin`. */
  readonly source: string
  readonly request: PreparedSubmit
}

/** The result of `datafold-ci submit`. */
export type SubmitOutcome =
  | {
    readonly _tag: "Submitted"
    readonly report: SubmitReport
    readonly job: SubmitCiJob
    /** With `--wait`: the run, done. */
    readonly waited?: FollowedRun | undefined
    /** With `--wait`: the run's report. */
    readonly reported?: ShownReport | undefined
  }
  | { readonly _tag: "DryRun"; readonly report: SubmitReport; readonly keyMissing: boolean }

/** Runs `datafold-ci submit`: settings, PR number, diffs, all checked before anything is sent. */
export const submit = (args: CommandArgs, context: CommandContext): Effect.Effect<SubmitOutcome, CliFailure> =>
  Effect.gen(function* () {
    const waitSettings = args.wait === true ? yield* readWaitSettings(args, false) : undefined
    const reportRequest = yield* readReportRequest(args, waitSettings !== undefined)
    const settings = yield* readSettings({ ...args, timeout: yield* attemptTimeoutOf(args, false) }, context.env)
    const { prNumber, system } = yield* resolvePrNumber({ flag: args.prNumber, env: context.env })
    const diffs = (yield* readDiffs(args.diffs, context.stdin)) as ReadonlyArray<CiDiffInput>
    const ciConfigId = settings.ciConfigId.value
    const client = yield* cliClient(settings)
    const request = yield* client.prepareSubmit(ciConfigId, prNumber.value, diffs)
    const report: SubmitReport = {
      ciConfigId: settings.ciConfigId,
      host: settings.host,
      prNumber,
      system,
      source: diffsSource(args.diffs),
      request
    }
    if (args.dryRun) return { _tag: "DryRun", report, keyMissing: settings.keyMissing } as const
    const job = yield* client.submitDiffs(ciConfigId, prNumber.value, diffs)
    if (waitSettings === undefined) return { _tag: "Submitted", report, job } as const
    if (job.ci_run_id === null) {
      return yield* new UsageError({
        problem: `Datafold attached the diffs but gave no CI run id, so there is no run to wait for; ` +
          `follow it with datafold-ci runs --pr-num ${prNumber.value}.`
      })
    }
    const { reported, waited } = yield* waitAndReport({
      client,
      settings,
      target: { ciRunId: job.ci_run_id, prNumber: prNumber.value },
      wait: waitSettings,
      request: reportRequest,
      progress: context.progress ?? silentProgress,
      cwd: context.cwd
    })
    return { _tag: "Submitted", report, job, waited, reported } as const
  })
