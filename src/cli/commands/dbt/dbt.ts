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
import { type FollowedRun, followRun } from "../../shell/followRun.ts"
import { attemptTimeoutOf, readWaitSettings } from "../../args/waitFlags.ts"
import type { Sourced } from "../../facts/PrFact.ts"
import { silentProgress } from "../../shell/io.ts"
import { formatBytes } from "../../shell/text.ts"
import type { CommandContext } from "../../shell/context.ts"
import { DbtArtifactsMissingError } from "../../shell/DbtCliError.ts"
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
  }

/** Where a dbt command runs: as every command. */
export type DbtContext = CommandContext

/** The settings of a dbt command; on `upload-and-wait`, `--timeout` is the wait's, in minutes. */
const settingsFor = (args: CommandArgs, context: DbtContext, timeoutIsWaitMinutes: boolean) =>
  Effect.flatMap(
    attemptTimeoutOf(args, timeoutIsWaitMinutes),
    (timeout) => readSettings({ ...args, timeout }, context.env)
  )

/** A run type as given, or the library's refusal names it (`runType`). */
const runTypeOf = (args: CommandArgs): RunType => args.runType as RunType

/** `dbt upload` and `dbt upload-and-wait`. */
const upload = (args: CommandArgs, context: DbtContext, wait: boolean): Effect.Effect<DbtOutcome, CliFailure> =>
  Effect.gen(function* () {
    const waitSettings = wait ? yield* readWaitSettings(args, true) : undefined
    const settings = yield* settingsFor(args, context, wait)
    const targetFolder = args.targetFolder ?? DEFAULT_TARGET_FOLDER
    const folderPath = isAbsolute(targetFolder) ? targetFolder : resolve(context.cwd, targetFolder)
    // git runs in the target folder, as the SDK's does; a folder that does not exist is the
    // library's to report (nothing is sent), so git then looks where the command runs.
    const gitCwd = existsSync(folderPath) ? folderPath : context.cwd
    const commit = yield* resolveCommit({ flag: args.commitSha, env: context.env, cwd: gitCwd })
    const client = yield* cliClient(settings)
    const ciConfigId = settings.ciConfigId.value
    const progress = context.progress ?? silentProgress
    const options = {
      runType: runTypeOf(args),
      targetFolder,
      cwd: context.cwd,
      commitSha: commit.value,
      runId: args.runId
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
    const uploaded = {
      _tag: "Uploaded",
      report,
      upload: sent,
      elapsedMillis: Math.round(Duration.toMillis(elapsed))
    } as const
    if (waitSettings === undefined) return uploaded
    // Only a pull request's upload starts a CI run (the SDK waits for those alone).
    if (sent.runType === "production") return { ...uploaded, waited: "NoRun" } as const
    const waited = yield* followRun(client, ciConfigId, { prSha: sent.commitSha }, waitSettings, progress)
    return { ...uploaded, waited } as const
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
    const commit = yield* resolveCommit({ flag: args.commitSha, env: context.env, cwd: context.cwd })
    const branch = yield* resolveBranch({ flag: args.branch, env: context.env, cwd: context.cwd })
    const client = yield* cliClient(settings)
    const ciConfigId = settings.ciConfigId.value
    const runType = runTypeOf(args)
    const status = yield* client.checkDbtArtifacts(ciConfigId, {
      runType,
      branch: branch.value,
      commitSha: commit.value
    })
    if (!status.ok) {
      return yield* new DbtArtifactsMissingError({
        ciConfigId,
        commitSha: commit.value,
        runType,
        branch: branch.value,
        status: status.status
      })
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
    const checks = yield* client.checkPrimaryKeys(settings.ciConfigId.value, path)
    return { _tag: "PrimaryKeys", ciConfigId: settings.ciConfigId.value, manifest, checks } as const
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
