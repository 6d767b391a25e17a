/**
 * The dbt Core calls of the client: upload a target folder's artifacts (a ZIP streamed
 * from disk into a multipart request), check that Datafold has them, and check a
 * manifest's primary keys. Input and the folder are checked before anything is sent; a
 * file that cannot be read once sending has begun abandons the request and fails with
 * `DatafoldArtifactsError`. Loaded by the client on the first dbt call, so a client that
 * only triggers never loads the ZIP writer.
 */
import { dbtUploadSent, preparedDbtUpload, uploadUrl } from "../core/dbt/dbtShapes.ts"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Runtime from "effect/Runtime"
import * as Schema from "effect/Schema"
import process from "node:process"
import { CHECK_PRIMARY_KEYS_PATH, pathFor } from "../core/apiPaths.ts"
import { MAX_PRIMARY_KEYS_BODY_BYTES } from "../core/bodyCap.ts"
import {
  type ArtifactsProblem,
  DEADLINE_PROBLEM,
  manifestBody,
  manifestPath,
  manifestProblem,
  openUploadBody,
  progressThrottle,
  UPLOAD_DEADLINE_MILLIS,
  uploadManifestProblem,
  walkForUpload
} from "../core/dbt/artifactsBody.ts"
import {
  checkArtifactsCheck,
  checkDbtUpload,
  type CheckedDbtUpload,
  checkPrimaryKeysInput
} from "../core/dbt/dbtInput.ts"
import { multipartContentType, newBoundary } from "../core/dbt/multipartBody.ts"
import type { TargetFolder } from "../core/dbt/targetFolder.ts"
import { OPERATIONS } from "../core/operations.ts"
import { artifactsCheckDescription } from "../core/requests.ts"
import { mapSourceFailure } from "../core/streamBody.ts"
import { DatafoldArtifactsError } from "../DatafoldArtifactsError.ts"
import type { DatafoldError } from "../DatafoldError.ts"
import {
  type DbtArtifactsCheckOptions,
  DbtArtifactsStatus,
  type DbtUpload,
  type DbtUploadOptions,
  type PreparedDbtUpload
} from "../DbtArtifacts.ts"
import { type PrimaryKeyCheck, PrimaryKeyChecks } from "../PrimaryKeyCheck.ts"
import type { Attempt, Decode } from "./attempt.ts"
import { inputErrorOfFields } from "./inputIssues.ts"
import { toRequest } from "./requests.ts"
import { makeRetryDriver, type RetryDriverSettings } from "./retryDriver.ts"
import type { StreamBody, WireRequest } from "./wire.ts"

/** What the dbt calls need from the client. */
export interface DbtCallsContext {
  readonly host: string
  readonly attempt: Attempt
  readonly retrySettings: RetryDriverSettings
}

/**
 * The longest an artifacts upload may take, retries included, unless the call says
 * otherwise (the shared core's {@link UPLOAD_DEADLINE_MILLIS}).
 */
export const DEFAULT_UPLOAD_DEADLINE: Duration.Duration = Duration.millis(UPLOAD_DEADLINE_MILLIS)

const decodeAnyJson: Decode<unknown> = (json) => Either.right(json)
const decodeStatus = Schema.decodeUnknownEither(DbtArtifactsStatus)
const decodePrimaryKeys = Schema.decodeUnknownEither(PrimaryKeyChecks)

const artifactsError = (problem: ArtifactsProblem): DatafoldArtifactsError => new DatafoldArtifactsError(problem)

/** The folder, walked and checked (the upload's size limit included), or why it cannot be uploaded. */
const walkFolder = (
  targetFolder: string,
  cwd: string | undefined,
  maxUploadBytes: number | undefined
): Effect.Effect<TargetFolder, DatafoldArtifactsError> =>
  Effect.flatMap(
    Effect.sync(() => walkForUpload(targetFolder, cwd ?? process.cwd(), maxUploadBytes)),
    (walk) =>
      walk.ok
        // The manifest is read (in bounded memory) before anything is sent.
        ? Effect.flatMap(
          Effect.promise(() => uploadManifestProblem(walk.folder)),
          (problem) => problem === undefined ? Effect.succeed(walk.folder) : Effect.fail(artifactsError(problem))
        )
        : Effect.fail(artifactsError(walk.problem))
  )

/** Runs `onProgress` from outside a fiber, at most every `PROGRESS_EVERY_MILLIS`, and once at the end. */
const progressReporter = (
  runtime: Runtime.Runtime<never>,
  onProgress: DbtUploadOptions["onProgress"],
  folder: TargetFolder
) => {
  if (onProgress === undefined) return { read: () => {}, end: () => Effect.void }
  const throttle = progressThrottle(folder, (progress) => {
    Runtime.runFork(runtime)(onProgress(progress))
  })
  return { read: throttle.read, end: () => Effect.suspend(() => onProgress(throttle.latest())) }
}

/** The dbt calls over a client's attempt. */
export const makeDbtCalls = (context: DbtCallsContext) => {
  const { attempt, host } = context
  const checkRetries = makeRetryDriver(
    context.retrySettings,
    OPERATIONS.checkDbtArtifacts.span,
    OPERATIONS.checkDbtArtifacts.retry
  )
  const keysRetries = makeRetryDriver(
    context.retrySettings,
    OPERATIONS.checkPrimaryKeys.span,
    OPERATIONS.checkPrimaryKeys.retry
  )

  const checkedUpload = (
    ciConfigId: number,
    options: DbtUploadOptions
  ): Effect.Effect<
    { readonly upload: CheckedDbtUpload; readonly folder: TargetFolder },
    DatafoldError | DatafoldArtifactsError
  > => {
    const checked = checkDbtUpload(ciConfigId, options)
    return checked.ok
      ? Effect.map(
        walkFolder(checked.value.targetFolder, options.cwd, checked.value.maxUploadBytes),
        (folder) => ({ upload: checked.value, folder })
      )
      : Effect.fail(inputErrorOfFields(checked.issues))
  }

  const prepareDbtUpload = (
    ciConfigId: number,
    options: DbtUploadOptions
  ): Effect.Effect<PreparedDbtUpload, DatafoldError | DatafoldArtifactsError> =>
    Effect.map(checkedUpload(ciConfigId, options), ({ folder, upload }) => preparedDbtUpload(host, upload, folder))

  const uploadDbtArtifacts = (
    ciConfigId: number,
    options: DbtUploadOptions
  ): Effect.Effect<DbtUpload, DatafoldError | DatafoldArtifactsError> =>
    Effect.gen(function* () {
      const { folder, upload } = yield* checkedUpload(ciConfigId, options)
      const deadline = Duration.decodeUnknown(options.deadline ?? DEFAULT_UPLOAD_DEADLINE)
      if (deadline._tag === "None" || Duration.toMillis(deadline.value) <= 0) {
        return yield* inputErrorOfFields([{ field: "deadline", problem: DEADLINE_PROBLEM }])
      }
      const runtime = yield* Effect.runtime<never>()
      const progress = progressReporter(runtime, options.onProgress, folder)
      let archiveBytes = 0
      const boundary = newBoundary()
      const body: StreamBody<DatafoldArtifactsError> = {
        _tag: "StreamBody",
        contentType: multipartContentType(boundary),
        open: (activity) =>
          mapSourceFailure(
            openUploadBody(upload, folder, boundary, activity, progress.read, (bytes) => (archiveBytes = bytes)),
            artifactsError
          )
      }
      const request: WireRequest<DatafoldArtifactsError> = {
        method: "POST",
        url: uploadUrl(host, upload.ciConfigId),
        query: "",
        body
      }
      const retries = makeRetryDriver(
        { ...context.retrySettings, deadline: deadline.value },
        OPERATIONS.uploadDbtArtifacts.span,
        OPERATIONS.uploadDbtArtifacts.retry
      )
      yield* retries((deadlineAt) => attempt(request, decodeAnyJson, deadlineAt))
      yield* progress.end()
      return dbtUploadSent(upload, folder, archiveBytes)
    })

  const checkDbtArtifacts = (
    ciConfigId: number,
    options: DbtArtifactsCheckOptions
  ): Effect.Effect<DbtArtifactsStatus, DatafoldError> => {
    const checked = checkArtifactsCheck(ciConfigId, options)
    if (!checked.ok) return Effect.fail(inputErrorOfFields(checked.issues))
    const request = toRequest(artifactsCheckDescription(host, checked.value.ciConfigId, checked.value))
    return checkRetries((deadlineAt) => attempt(request, decodeStatus, deadlineAt))
  }

  const checkPrimaryKeys = (
    ciConfigId: number,
    manifest: string,
    cwd?: string
  ): Effect.Effect<ReadonlyArray<PrimaryKeyCheck>, DatafoldError | DatafoldArtifactsError> =>
    Effect.gen(function* () {
      const checked = checkPrimaryKeysInput(ciConfigId, manifest)
      if (!checked.ok) return yield* inputErrorOfFields(checked.issues)
      const path = manifestPath(manifest, cwd ?? process.cwd())
      const problem = yield* Effect.promise(() => manifestProblem(manifest, path))
      if (problem !== undefined) return yield* artifactsError(problem)
      const request: WireRequest<DatafoldArtifactsError> = {
        method: "POST",
        url: `${host}${pathFor(CHECK_PRIMARY_KEYS_PATH, checked.value.ciConfigId)}`,
        query: "",
        body: {
          _tag: "StreamBody",
          contentType: "application/json",
          open: (activity) => mapSourceFailure(manifestBody(manifest, path, activity), artifactsError)
        },
        maxAnswerBytes: MAX_PRIMARY_KEYS_BODY_BYTES
      }
      return yield* keysRetries((deadlineAt) => attempt(request, decodePrimaryKeys, deadlineAt))
    })

  return { prepareDbtUpload, uploadDbtArtifacts, checkDbtArtifacts, checkPrimaryKeys }
}

/** The calls {@link makeDbtCalls} gives. */
export type DbtCalls = ReturnType<typeof makeDbtCalls>
