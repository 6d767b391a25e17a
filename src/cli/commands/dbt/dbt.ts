/**
 * `datafold-ci dbt …`, the Python SDK's `datafold dbt …` commands: upload a dbt target
 * folder's artifacts (and wait for the CI run they start), check that Datafold has them,
 * and check a manifest's primary keys. Every setting and fact is checked, and the folder
 * read, before anything is sent.
 *
 * @module
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { existsSync } from "node:fs"
import { isAbsolute, resolve } from "node:path"
import type { DbtArtifactsStatus, DbtUpload, PreparedDbtUpload, RunType } from "../../../DbtArtifacts.ts"
import type { PrimaryKeyCheck } from "../../../PrimaryKeyCheck.ts"
import { type CiSystemName, detectCiSystem } from "../../facts/CiEnvironment.ts"
import type { CommandArgs, DbtCommandName } from "../../args/CliArgs.ts"
import { cliClient } from "../../shell/cliClient.ts"
import type { CliFailure } from "../../shell/CliFailure.ts"
import { readSettings } from "../../shell/CliSettings.ts"
import type { FollowedRun } from "../../shell/followRun.ts"
import type { ShownReport } from "../../shell/runReportOutput.ts"
import { waitAndReport } from "../../shell/waitAndReport.ts"
import { readReportRequest } from "../../args/reportFlags.ts"
import { attemptTimeoutOf, readWaitSettings } from "../../args/waitFlags.ts"
import { readMaxUploadBytes } from "../../args/uploadSize.ts"
import { readUploadConcurrency } from "../../args/uploadConcurrency.ts"
import type { Sourced } from "../../facts/PrFact.ts"
import { silentProgress } from "../../shell/io.ts"
import { formatBytes } from "../../shell/text.ts"
import type { CommandContext } from "../../shell/context.ts"
import { DbtArtifactsMissingError, DbtPrimaryKeysMissingError } from "../../shell/DbtCliError.ts"
import { DatafoldArtifactsError } from "../../../DatafoldArtifactsError.ts"
import { describeArgument } from "../../args/CliArgs.ts"
import { UsageError } from "../../args/CliError.ts"
import { formatElapsed } from "../../../core/elapsed.ts"
import { DEFAULT_TARGET_FOLDER } from "../../args/dbtDefaults.ts"
import { resolveBranch, resolveCommit } from "./resolveCommit.ts"

/** What an upload was about. */
export interface DbtUploadReport {
  readonly ciConfigId: Sourced<number>
  readonly host: Sourced<string>
  readonly system: CiSystemName | undefined
  readonly targetFolder: string
  readonly commit: Sourced<string>
}

/** The result of a `datafold-ci dbt` command. */
export type DbtOutcome =
  | {
    readonly _tag: "Uploaded"
    readonly report: DbtUploadReport
    readonly upload: DbtUpload
    readonly elapsedMillis: number
    /** `upload-and-wait`: the run, done; `"NoRun"` for a production upload, which starts none. */
    readonly waited?: FollowedRun | "NoRun" | undefined
    /** `upload-and-wait` of a pull request: the run's report. */
    readonly reported?: ShownReport | undefined
  }
  | {
    readonly _tag: "UploadDryRun"
    readonly report: DbtUploadReport
    readonly prepared: PreparedDbtUpload
    readonly keyMissing: boolean
  }
  | {
    readonly _tag: "ArtifactsPresent"
    readonly ciConfigId: number
    readonly runType: RunType
    readonly branch: Sourced<string>
    readonly commit: Sourced<string>
    readonly status: DbtArtifactsStatus
  }
  | {
    readonly _tag: "PrimaryKeys"
    readonly ciConfigId: number
    readonly manifest: string
    readonly checks: ReadonlyArray<PrimaryKeyCheck>
    /** The terminal's width, when stdout is one: the table is cut to fit it (at most 100 columns). */
    readonly width?: number | undefined
  }

/** Where a dbt command runs: as every command. */
export type DbtContext = CommandContext

/** The settings of a dbt command; on `upload-and-wait`, `--timeout` is the wait's, in minutes. */
const settingsFor = (args: CommandArgs, context: DbtContext, timeoutIsWaitMinutes: boolean) =>
  Effect.flatMap(
    attemptTimeoutOf(args, timeoutIsWaitMinutes),
    (timeout) => readSettings({ ...args, timeout }, context.env)
  )

const runTypes: ReadonlyArray<RunType> = ["production", "pull_request"]

/** `--run-type`, checked here so the message names the flag. */
const runTypeOf = (args: CommandArgs, command: DbtCommandName): Effect.Effect<RunType, UsageError> => {
  const given = args.runType?.trim()
  if (given !== undefined && (runTypes as ReadonlyArray<string>).includes(given)) {
    return Effect.succeed(given as RunType)
  }
  return Effect.fail(
    new UsageError({
      problem: given === undefined
        ? "--run-type is missing: pass --run-type production (on merge to the main branch) or " +
          "--run-type pull_request (on a pull request build)."
        : `--run-type ${describeArgument(given)} is invalid: it is production or pull_request.`,
      command: `dbt ${command}`
    })
  )
}

/** Whether a model has a primary key: one dbt declares or one Datafold finds. */
export const hasPrimaryKey = (check: PrimaryKeyCheck): boolean => check.dbt_pks.length > 0 || check.sql_pks.length > 0

/** `dbt upload` and `dbt upload-and-wait`. */
const upload = (args: CommandArgs, context: DbtContext, wait: boolean): Effect.Effect<DbtOutcome, CliFailure> =>
  Effect.gen(function* () {
    const waitSettings = wait ? yield* readWaitSettings(args, true) : undefined
    const reportRequest = yield* readReportRequest(args, wait)
    const settings = yield* settingsFor(args, context, wait)
    const runType = yield* runTypeOf(args, wait ? "upload-and-wait" : "upload")
    const maxUploadBytes = yield* readMaxUploadBytes(
      args.maxUploadSize,
      context.env,
      wait ? "dbt upload-and-wait" : "dbt upload"
    )
    const concurrency = yield* readUploadConcurrency(
      args.concurrency,
      context.env,
      wait ? "dbt upload-and-wait" : "dbt upload"
    )
    const targetFolder = args.targetFolder ?? DEFAULT_TARGET_FOLDER
    const folderPath = isAbsolute(targetFolder) ? targetFolder : resolve(context.cwd, targetFolder)
    // A folder that is not there is the first thing to fix (before git, which would run in
    // it): reported as the library reports it, nothing sent.
    if (!existsSync(folderPath)) {
      return yield* new DatafoldArtifactsError({ reason: "FolderNotFound", location: targetFolder, detail: "ENOENT" })
    }
    // git runs in the target folder, as the SDK's does.
    const commit = yield* resolveCommit({
      flag: args.commitSha,
      env: context.env,
      cwd: folderPath,
      exact: args.exactCommit
    })
    const client = yield* cliClient(settings)
    const ciConfigId = settings.ciConfigId.value
    const progress = context.progress ?? silentProgress
    const options = {
      runType,
      targetFolder,
      cwd: context.cwd,
      commitSha: commit.value,
      runId: args.runId,
      maxUploadBytes,
      concurrency
    }
    // Checks every value and reads the folder; nothing is zipped nor sent yet.
    const prepared = yield* client.prepareDbtUpload(ciConfigId, options)
    const report: DbtUploadReport = {
      ciConfigId: settings.ciConfigId,
      host: settings.host,
      system: detectCiSystem(context.env),
      targetFolder,
      commit
    }
    for (const skipped of prepared.skipped) progress.note(`left out ${skipped.name}: ${skipReasons[skipped.reason]}`)
    for (const name of prepared.notUtf8) {
      progress.note(
        `warning: the name of ${name} is not UTF-8; it is uploaded under its bytes as they are on disk ` +
          `(without ZIP's UTF-8 flag), which Datafold may show differently`
      )
    }
    if (args.dryRun) return { _tag: "UploadDryRun", report, prepared, keyMissing: settings.keyMissing } as const
    const [elapsed, sent] = yield* client.uploadDbtArtifacts(ciConfigId, {
      ...options,
      onProgress: (step) =>
        Effect.sync(() =>
          progress.status(
            `uploading ${targetFolder}: ${step.files} of ${step.totalFiles} files, ` +
              `${formatBytes(step.bytes)} of ${formatBytes(step.totalBytes)}`,
            "upload"
          )
        )
    }).pipe(Effect.timed, Effect.ensuring(Effect.sync(progress.end)))
    // Said as soon as the upload ends, so a wait that then fails never reads as an upload cut short.
    progress.status(
      `uploading ${targetFolder}: ${sent.files} of ${sent.files} files, ` +
        `${formatBytes(sent.bytes)} of ${formatBytes(sent.bytes)}`,
      "uploaded"
    )
    progress.note(
      `uploaded ${sent.files} file${sent.files === 1 ? "" : "s"}, ${formatBytes(sent.bytes)} ` +
        `(${formatBytes(sent.archiveBytes)} zipped) in ${formatElapsed(Math.round(Duration.toMillis(elapsed)))}`
    )
    const uploaded = {
      _tag: "Uploaded",
      report,
      upload: sent,
      elapsedMillis: Math.round(Duration.toMillis(elapsed))
    } as const
    if (waitSettings === undefined) return uploaded
    // Only a pull request's upload starts a CI run (the SDK waits for those alone).
    if (sent.runType === "production") return { ...uploaded, waited: "NoRun" } as const
    const { reported, waited } = yield* waitAndReport({
      client,
      settings,
      target: { prSha: sent.commitSha },
      wait: waitSettings,
      request: reportRequest,
      progress,
      cwd: context.cwd,
      host: settings.host.value
    })
    return { ...uploaded, waited, reported } as const
  })

/** What a left-out entry was, for the note that says so. */
export const skipReasons = {
  LinkOutside: "a symbolic link to outside the folder",
  LinkBroken: "a symbolic link to nothing",
  LinkLoop: "a symbolic link back up the folder",
  NotAFile: "not a file (a socket, a pipe or a device)"
} as const

/** `dbt check-post-upload-dbt-artifacts`. */
const checkArtifacts = (args: CommandArgs, context: DbtContext): Effect.Effect<DbtOutcome, CliFailure> =>
  Effect.gen(function* () {
    const settings = yield* settingsFor(args, context, false)
    const runType = yield* runTypeOf(args, "check-post-upload-dbt-artifacts")
    const commit = yield* resolveCommit({
      flag: args.commitSha,
      env: context.env,
      cwd: context.cwd,
      exact: args.exactCommit
    })
    const branch = yield* resolveBranch({ flag: args.branch, env: context.env, cwd: context.cwd })
    const client = yield* cliClient(settings)
    const ciConfigId = settings.ciConfigId.value
    const status = yield* client.checkDbtArtifacts(ciConfigId, {
      runType,
      branch: branch.value,
      commitSha: commit.value
    })
    if (!status.ok) {
      const missing = new DbtArtifactsMissingError({
        ciConfigId,
        commitSha: commit.value,
        runType,
        branch: branch.value,
        status: status.status
      })
      if (args.warnOnly !== true) return yield* missing
      // The SDK's behaviour, for `if: always()` steps that rely on it: said, not failed.
      yield* Effect.logWarning(`${missing.message} (--warn-only: exit 0)`)
    }
    return { _tag: "ArtifactsPresent", ciConfigId, runType, branch, commit, status } as const
  })

/** `dbt check-primary-keys MANIFEST`. */
const checkPrimaryKeys = (args: CommandArgs, context: DbtContext): Effect.Effect<DbtOutcome, CliFailure> =>
  Effect.gen(function* () {
    const settings = yield* settingsFor(args, context, false)
    const client = yield* cliClient(settings)
    const manifest = args.manifest ?? ""
    const path = manifest === "" || isAbsolute(manifest) ? manifest : resolve(context.cwd, manifest)
    const ciConfigId = settings.ciConfigId.value
    const checks = yield* client.checkPrimaryKeys(ciConfigId, path)
    const missing = checks.filter((check) => !hasPrimaryKey(check))
    if (args.failOnMissing === true && missing.length > 0) {
      return yield* new DbtPrimaryKeysMissingError({
        ciConfigId,
        models: checks.length,
        missing: missing.map((check) => check.dbt_fqn.join("."))
      })
    }
    return { _tag: "PrimaryKeys", ciConfigId, manifest, checks, width: context.stdoutColumns } as const
  })

/** Runs one `datafold-ci dbt` command. */
export const dbt = (
  command: DbtCommandName,
  args: CommandArgs,
  context: DbtContext
): Effect.Effect<DbtOutcome, CliFailure> => {
  switch (command) {
    case "upload":
      return upload(args, context, false)
    case "upload-and-wait":
      return upload(args, context, true)
    case "check-post-upload-dbt-artifacts":
      return checkArtifacts(args, context)
    case "check-primary-keys":
      return checkPrimaryKeys(args, context)
  }
}
