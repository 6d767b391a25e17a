/**
 * The dbt Core calls of the Effect 4 client: upload a target folder's artifacts (a ZIP
 * streamed from disk into a multipart request), check that Datafold has them, and check
 * a manifest's primary keys. What is sent and what is refused is the shared core's
 * (`core/dbt/`); this is the Effect shell. Loaded by the client on the first dbt call, so
 * a client that only triggers never loads the ZIP writer.
 */
import { dbtUploadSent, preparedDbtUpload, uploadUrl } from "../../core/dbt/dbtShapes.ts"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import process from "node:process"
import { CHECK_PRIMARY_KEYS_PATH, pathFor } from "../../core/apiPaths.ts"
import { MAX_PRIMARY_KEYS_BODY_BYTES } from "../../core/bodyCap.ts"
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
} from "../../core/dbt/artifactsBody.ts"
import {
  checkArtifactsCheck,
  checkDbtUpload,
  type CheckedDbtUpload,
  checkPrimaryKeysInput
} from "../../core/dbt/dbtInput.ts"
import { multipartContentType, newBoundary } from "../../core/dbt/multipartBody.ts"
import type { TargetFolder } from "../../core/dbt/targetFolder.ts"
import { OPERATIONS } from "../../core/operations.ts"
import { artifactsCheckDescription } from "../../core/requests.ts"
import { mapSourceFailure, type StreamBody } from "../../core/streamBody.ts"
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
import type { Attempt } from "./attempt.ts"
import { inputErrorOfFields } from "./inputIssues.ts"
import { type Decode, decoderFor } from "./interpretResponse.ts"
import { toRequest } from "./requests.ts"
import { makeRetryDriver, type RetryDriverSettings } from "./retryDriver.ts"

/** What the dbt calls need from the client. */
export interface DbtCallsContext {
  readonly host: string
  readonly attempt: Attempt
  readonly retrySettings: RetryDriverSettings
}

const decodeAnyJson: Decode<unknown> = (json) => Result.succeed(json)
const decodeStatus = decoderFor(DbtArtifactsStatus)
const decodePrimaryKeys = decoderFor(PrimaryKeyChecks)

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

/** The upload's deadline in milliseconds, or `undefined` when the option is not a positive duration. */
const deadlineMillisOf = (input: Duration.Input | undefined): number | undefined => {
  const millis = Option.map(Duration.fromInput(input ?? UPLOAD_DEADLINE_MILLIS), Duration.toMillis)
  return Option.isSome(millis) && millis.value > 0 ? millis.value : undefined
}

/** Runs `onProgress` from outside a fiber (with the caller's services), throttled, and once at the end. */
const progressReporter = Effect.fnUntraced(function* (
  onProgress: DbtUploadOptions["onProgress"],
  folder: TargetFolder
) {
  if (onProgress === undefined) return { read: () => {}, end: () => Effect.void }
  const run = Effect.runForkWith(yield* Effect.context<never>())
  const throttle = progressThrottle(folder, (progress) => {
    run(onProgress(progress))
  })
  return { read: throttle.read, end: () => Effect.suspend(() => onProgress(throttle.latest())) }
})

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
  > =>
    Effect.gen(function* () {
      const checked = checkDbtUpload(ciConfigId, options)
      if (!checked.ok) return yield* inputErrorOfFields(checked.issues)
      const folder = yield* walkFolder(checked.value.targetFolder, options.cwd, checked.value.maxUploadBytes)
      return { upload: checked.value, folder }
    })

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
      const deadlineMillis = deadlineMillisOf(options.deadline)
      if (deadlineMillis === undefined) {
        return yield* inputErrorOfFields([{ field: "deadline", problem: DEADLINE_PROBLEM }])
      }
      const progress = yield* progressReporter(options.onProgress, folder)
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
      const request = HttpClientRequest.post(uploadUrl(host, upload.ciConfigId))
      const retries = makeRetryDriver(
        { ...context.retrySettings, deadline: Duration.millis(deadlineMillis) },
        OPERATIONS.uploadDbtArtifacts.span,
        OPERATIONS.uploadDbtArtifacts.retry
      )
      yield* retries((deadlineAt) => attempt(request, decodeAnyJson, deadlineAt, { body }))
      yield* progress.end()
      return dbtUploadSent(upload, folder, archiveBytes)
    })

  const checkDbtArtifacts = (
    ciConfigId: number,
    options: DbtArtifactsCheckOptions
  ): Effect.Effect<DbtArtifactsStatus, DatafoldError> =>
    Effect.suspend(() => {
      const checked = checkArtifactsCheck(ciConfigId, options)
      if (!checked.ok) return Effect.fail(inputErrorOfFields(checked.issues))
      const request = toRequest(artifactsCheckDescription(host, checked.value.ciConfigId, checked.value))
      return checkRetries((deadlineAt) => attempt(request, decodeStatus, deadlineAt))
    })

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
      const request = HttpClientRequest.post(`${host}${pathFor(CHECK_PRIMARY_KEYS_PATH, checked.value.ciConfigId)}`)
      const body: StreamBody<DatafoldArtifactsError> = {
        _tag: "StreamBody",
        contentType: "application/json",
        open: (activity) => mapSourceFailure(manifestBody(manifest, path, activity), artifactsError)
      }
      return yield* keysRetries((deadlineAt) =>
        attempt(request, decodePrimaryKeys, deadlineAt, { body, maxAnswerBytes: MAX_PRIMARY_KEYS_BODY_BYTES })
      )
    })

  return { prepareDbtUpload, uploadDbtArtifacts, checkDbtArtifacts, checkPrimaryKeys }
}

/** The calls {@link makeDbtCalls} gives. */
export type DbtCalls = ReturnType<typeof makeDbtCalls>
