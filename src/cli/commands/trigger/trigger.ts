/**
 * `datafold-ci trigger`: read the settings, find the PR facts, and either trigger the
 * run or (with `--dry-run`) describe the request without sending it. With `--diffs`,
 * then upload the PR's changes to that run once it is waiting.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import type { CiDiffInput } from "../../../CiDiff.ts"
import type { DatafoldClientService, PreparedSubmit, PreparedTrigger } from "../../../DatafoldClientService.ts"
import type { DatafoldError } from "../../../DatafoldError.ts"
import type { DatafoldNoRunWaitingError } from "../../../DatafoldNoRunWaitingError.ts"
import type { PrDetails, PrDetailsInput } from "../../../PrDetails.ts"
import type { SubmitCiJob } from "../../../SubmitCiJob.ts"
import type { CiSystemName } from "../../facts/CiEnvironment.ts"
import type { CommandArgs } from "../../args/CliArgs.ts"
import { cliClient, deadlineFor } from "../../shell/cliClient.ts"
import type { CommandContext } from "../../shell/context.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import { readSettings } from "../../shell/CliSettings.ts"
import { readDiffs } from "../../args/DiffsFile.ts"
import type { FollowedRun } from "../../shell/followRun.ts"
import { attemptTimeoutOf, readWaitSettings } from "../../args/waitFlags.ts"
import type { PrFacts, Sourced } from "../../facts/PrFact.ts"
import { silentProgress } from "../../shell/io.ts"
import { resolvePrFacts } from "../../facts/resolvePrFacts.ts"
import { readReportRequest } from "../../args/reportFlags.ts"
import type { ShownReport } from "../../shell/runReportOutput.ts"
import { waitAndReport } from "../../shell/waitAndReport.ts"

/** What a trigger was about: the values sent, and where each came from. */
export interface TriggerReport {
  readonly ciConfigId: Sourced<number>
  readonly host: Sourced<string>
  /** The CI system detected from the environment, if any. */
  readonly system: CiSystemName | undefined
  /** The five PR facts with their sources, as found. */
  readonly facts: PrFacts
  /** The details as validated by the library (SHAs in lower case). */
  readonly details: PrDetails
}

/** The upload that followed a trigger (`trigger --diffs`). */
export interface FollowingSubmit {
  readonly job: SubmitCiJob
  /** How many diffs were attached. */
  readonly diffs: number
}

/** The result of `datafold-ci trigger`. */
export type TriggerOutcome =
  | {
    readonly _tag: "Triggered"
    readonly report: TriggerReport
    readonly job: SubmitCiJob
    readonly submitted?: FollowingSubmit | undefined
    /** With `--wait`: the run, done. */
    readonly waited?: FollowedRun | undefined
    /** With `--wait`: the run's report. */
    readonly reported?: ShownReport | undefined
  }
  | {
    readonly _tag: "DryRun"
    readonly report: TriggerReport
    readonly request: PreparedTrigger
    /** With `--diffs`: the upload that would follow. */
    readonly submit?: PreparedSubmit | undefined
    /** No `DATAFOLD_API_KEY`: fine for a dry run, needed for a real one. */
    readonly keyMissing: boolean
  }

const toDetails = (facts: PrFacts): PrDetailsInput => ({
  pr_number: facts.prNumber.value,
  pr_branch: facts.prBranch.value,
  base_branch: facts.baseBranch.value,
  pr_sha: facts.prSha.value,
  base_sha: facts.baseSha.value
})

/**
 * Uploads the diffs, waiting for the run to be ready: Datafold may take a moment after a
 * trigger before the run accepts changes. Only "no run waiting" is waited out (backing
 * off from half a second to five), and never past `deadline`; every other failure is
 * the client's own, already retried as its policy allows.
 */
export const submitWhenWaiting = (
  client: DatafoldClientService,
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<CiDiffInput>,
  deadline: Duration.Duration
): Effect.Effect<SubmitCiJob, DatafoldError | DatafoldNoRunWaitingError> =>
  client.submitDiffs(ciConfigId, prNumber, diffs).pipe(
    Effect.retry({
      schedule: Schedule.exponential("500 millis").pipe(
        Schedule.modifyDelay((delay) => Duration.min(delay, Duration.seconds(5))),
        Schedule.upTo(deadline),
        Schedule.tapOutput(() => Effect.logInfo("The run is not waiting for diffs yet; trying again shortly"))
      ),
      while: (error) => error._tag === "DatafoldNoRunWaitingError"
    })
  )

/**
 * Runs `datafold-ci trigger`. Cheap checks come first (settings, then PR facts, then the
 * diffs), and the library validates the details and diffs before anything is sent, so
 * every usage problem fails without a request.
 */
export const trigger = (args: CommandArgs, context: CommandContext): Effect.Effect<TriggerOutcome, CliFailure> =>
  Effect.gen(function* () {
    const waitSettings = args.wait === true ? yield* readWaitSettings(args, false) : undefined
    const reportRequest = yield* readReportRequest(args, waitSettings !== undefined)
    const settings = yield* readSettings({ ...args, timeout: yield* attemptTimeoutOf(args, false) }, context.env)
    const { facts, system } = yield* resolvePrFacts({
      flags: {
        prNumber: args.prNumber,
        prBranch: args.prBranch,
        baseBranch: args.baseBranch,
        prSha: args.prSha,
        baseSha: args.baseSha
      },
      env: context.env,
      cwd: context.cwd
    })
    const diffs = args.diffs === undefined
      ? undefined
      : (yield* readDiffs(args.diffs, context.stdin)) as ReadonlyArray<CiDiffInput>
    const ciConfigId = settings.ciConfigId.value
    const client = yield* cliClient(settings)
    const details = toDetails(facts)
    // Validates the id and every detail without sending; a real run sends exactly this.
    const request = yield* client.prepareTrigger(ciConfigId, details)
    const submit = diffs === undefined
      ? undefined
      : yield* client.prepareSubmit(ciConfigId, request.details.pr_number, diffs)
    const report: TriggerReport = {
      ciConfigId: settings.ciConfigId,
      host: settings.host,
      system,
      facts,
      details: request.details
    }
    if (args.dryRun) return { _tag: "DryRun", report, request, submit, keyMissing: settings.keyMissing } as const
    const job = yield* client.trigger(ciConfigId, details)
    const waitFor = (submitted?: FollowingSubmit) =>
      Effect.gen(function* () {
        if (waitSettings === undefined) return { _tag: "Triggered", report, job, submitted } as const
        const { reported, waited } = yield* waitAndReport({
          client,
          settings,
          target: job.ci_run_id === null
            ? { prSha: request.details.pr_sha, prNumber: request.details.pr_number }
            : { ciRunId: job.ci_run_id, prSha: request.details.pr_sha, prNumber: request.details.pr_number },
          wait: waitSettings,
          request: reportRequest,
          progress: context.progress ?? silentProgress,
          cwd: context.cwd
        })
        return { _tag: "Triggered", report, job, submitted, waited, reported } as const
      })
    if (diffs === undefined) return yield* waitFor()
    const submitted = yield* submitWhenWaiting(
      client,
      ciConfigId,
      request.details.pr_number,
      diffs,
      deadlineFor(settings.timeout, settings.retries)
    ).pipe(
      Effect.tapError(() =>
        Effect.logWarning(
          `Triggered Datafold CI run ${job.ci_run_id ?? "(no id)"}, but uploading the diffs to it failed:`
        )
      )
    )
    return yield* waitFor({ job: submitted, diffs: diffs.length })
  })
