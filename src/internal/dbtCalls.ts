/**
 * The dbt Core calls of the client: upload a target folder's artifacts (a ZIP streamed
 * from disk into a multipart request), check that Datafold has them, and check a
 * manifest's primary keys. Input and the folder are checked before anything is sent; a
 * file that cannot be read once sending has begun abandons the request and fails with
 * `DatafoldArtifactsError`. Loaded by the client on the first dbt call, so a client that
 * only triggers never loads the ZIP writer.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Runtime from "effect/Runtime"
import * as Schema from "effect/Schema"
import { open, stat } from "node:fs/promises"
import { isAbsolute, resolve } from "node:path"
import process from "node:process"
import { CHECK_ARTIFACTS_PATH, CHECK_PRIMARY_KEYS_PATH, pathFor, SUBMIT_ARTIFACTS_PATH } from "../core/apiPaths.ts"
import { MAX_PRIMARY_KEYS_BODY_BYTES } from "../core/bodyCap.ts"
import { zipLimitProblem, zipTargetFolder } from "../core/dbt/artifactsZip.ts"
import {
  checkArtifactsCheck,
  checkDbtUpload,
  type CheckedDbtUpload,
  checkPrimaryKeysInput
} from "../core/dbt/dbtInput.ts"
import { multipartBody, multipartContentType, newBoundary } from "../core/dbt/multipartBody.ts"
import { type FolderProblem, readTargetFolder, type TargetFolder } from "../core/dbt/targetFolder.ts"
import { PREPARED_HEADERS } from "../core/requestHeaders.ts"
import { retryTransient, retryUndelivered } from "../core/retryPolicy.ts"
import { DatafoldArtifactsError } from "../DatafoldArtifactsError.ts"
import type { DatafoldError } from "../DatafoldError.ts"
import {
  type DbtArtifactsCheckOptions,
  DbtArtifactsStatus,
  type DbtUpload,
  type DbtUploadOptions,
  type DbtUploadProgress,
  type PreparedDbtUpload
} from "../DbtArtifacts.ts"
import { type PrimaryKeyCheck, PrimaryKeyChecks } from "../PrimaryKeyCheck.ts"
import type { Attempt, Decode } from "./attempt.ts"
import { makeRetryDriver, type RetryDriverSettings } from "./retryDriver.ts"
import { inputErrorOf } from "./waitForRun.ts"
import type { BodySource, StreamBody, WireRequest } from "./wire.ts"

/** What the dbt calls need from the client. */
export interface DbtCallsContext {
  readonly host: string
  readonly attempt: Attempt
  readonly retrySettings: RetryDriverSettings
}

/**
 * The longest an artifacts upload may take, retries included, unless the call says
 * otherwise: a big target folder on a slow runner takes minutes. Each attempt still
 * times out after the client's timeout without progress.
 */
export const DEFAULT_UPLOAD_DEADLINE: Duration.Duration = Duration.minutes(30)

/** How often progress is reported at most. */
const PROGRESS_EVERY_MILLIS = 100

const decodeAnyJson: Decode<unknown> = (json) => Either.right(json)
const decodeStatus = Schema.decodeUnknownEither(DbtArtifactsStatus)
const decodePrimaryKeys = Schema.decodeUnknownEither(PrimaryKeyChecks)

const systemWords = (error: unknown): string => {
  const code = (error as { readonly code?: unknown }).code
  return typeof code === "string" ? code : error instanceof Error ? error.message : String(error)
}

/** The form fields of an upload, in the order the SDK sends them. */
const uploadFields = (upload: CheckedDbtUpload): ReadonlyArray<readonly [string, string]> => [
  ["commit_sha", upload.commitSha],
  ["run_type", upload.runType],
  ...(upload.runId === undefined ? [] : [["run_id", upload.runId] as const])
]

/** A folder's problem as the client's error; `reason` overrides its own (a read that failed mid-upload). */
const artifactsErrorOf = (problem: FolderProblem, reason?: "ReadFailed"): DatafoldArtifactsError =>
  new DatafoldArtifactsError({
    reason: reason ?? problem.reason,
    location: problem.targetFolder,
    path: problem.path,
    detail: problem.detail
  })

/** The folder, walked and checked (ZIP's limits included), or why it cannot be uploaded. */
const walkFolder = (
  targetFolder: string,
  cwd: string | undefined
): Effect.Effect<TargetFolder, DatafoldArtifactsError> =>
  Effect.flatMap(
    Effect.sync(() => readTargetFolder(targetFolder, cwd ?? process.cwd())),
    (walk) => {
      if (!walk.ok) return Effect.fail(artifactsErrorOf(walk.problem))
      const tooLarge = zipLimitProblem(walk.folder)
      return tooLarge === undefined ? Effect.succeed(walk.folder) : Effect.fail(artifactsErrorOf(tooLarge))
    }
  )

/** Runs `onProgress` from outside a fiber, at most every {@link PROGRESS_EVERY_MILLIS}, and once at the end. */
const progressReporter = (
  runtime: Runtime.Runtime<never>,
  onProgress: DbtUploadOptions["onProgress"],
  folder: TargetFolder
) => {
  if (onProgress === undefined) return { read: () => {}, end: () => Effect.void }
  let last = 0
  let latest: DbtUploadProgress = { files: 0, totalFiles: folder.files.length, bytes: 0, totalBytes: folder.bytes }
  return {
    read: (files: number, bytes: number) => {
      latest = { files, totalFiles: folder.files.length, bytes, totalBytes: folder.bytes }
      const now = Date.now()
      if (now - last < PROGRESS_EVERY_MILLIS) return
      last = now
      Runtime.runFork(runtime)(onProgress(latest))
    },
    end: () => onProgress(latest)
  }
}

/** The dbt calls over a client's attempt. */
export const makeDbtCalls = (context: DbtCallsContext) => {
  const { attempt, host } = context
  // Both checks only read, so they are retried as freely as a runs listing.
  const checkRetries = makeRetryDriver(context.retrySettings, "DatafoldClient.checkDbtArtifacts", retryTransient)
  const keysRetries = makeRetryDriver(context.retrySettings, "DatafoldClient.checkPrimaryKeys", retryTransient)

  const checkedUpload = (
    ciConfigId: number,
    options: DbtUploadOptions
  ): Effect.Effect<
    { readonly upload: CheckedDbtUpload; readonly folder: TargetFolder },
    DatafoldError | DatafoldArtifactsError
  > => {
    const checked = checkDbtUpload(ciConfigId, options)
    return checked.ok
      ? Effect.map(walkFolder(checked.value.targetFolder, options.cwd), (folder) => ({ upload: checked.value, folder }))
      : Effect.fail(inputErrorOf(checked.issues))
  }

  const prepareDbtUpload = (
    ciConfigId: number,
    options: DbtUploadOptions
  ): Effect.Effect<PreparedDbtUpload, DatafoldError | DatafoldArtifactsError> =>
    Effect.map(checkedUpload(ciConfigId, options), ({ folder, upload }) => ({
      method: "POST" as const,
      url: `${host}${pathFor(SUBMIT_ARTIFACTS_PATH, upload.ciConfigId)}`,
      headers: { ...PREPARED_HEADERS, "content-type": multipartContentType("…") },
      fields: uploadFields(upload),
      ...upload,
      files: folder.files.map(({ name, size }) => ({ name, size })),
      bytes: folder.bytes,
      skipped: folder.skipped
    }))

  const uploadDbtArtifacts = (
    ciConfigId: number,
    options: DbtUploadOptions
  ): Effect.Effect<DbtUpload, DatafoldError | DatafoldArtifactsError> =>
    Effect.gen(function* () {
      const { folder, upload } = yield* checkedUpload(ciConfigId, options)
      const deadline = Duration.decodeUnknown(options.deadline ?? DEFAULT_UPLOAD_DEADLINE)
      if (deadline._tag === "None" || Duration.toMillis(deadline.value) <= 0) {
        return yield* inputErrorOf([{
          field: "deadline",
          problem: 'must be a positive duration, such as "30 minutes"'
        }])
      }
      const runtime = yield* Effect.runtime<never>()
      const progress = progressReporter(runtime, options.onProgress, folder)
      let archiveBytes = 0
      const boundary = newBoundary()
      const body: StreamBody<DatafoldArtifactsError> = {
        _tag: "StreamBody",
        contentType: multipartContentType(boundary),
        open: (activity) =>
          openUpload(upload, folder, boundary, activity, progress.read, (bytes) => (archiveBytes = bytes))
      }
      const request: WireRequest<DatafoldArtifactsError> = {
        method: "POST",
        url: `${host}${pathFor(SUBMIT_ARTIFACTS_PATH, upload.ciConfigId)}`,
        query: "",
        body
      }
      // No lookup can find an upload that arrived, so only what surely did not is retried.
      const retries = makeRetryDriver(
        { ...context.retrySettings, deadline: deadline.value },
        "DatafoldClient.uploadDbtArtifacts",
        retryUndelivered
      )
      yield* retries((deadlineAt) => attempt(request, decodeAnyJson, deadlineAt))
      yield* progress.end()
      return {
        ciConfigId: upload.ciConfigId,
        runType: upload.runType,
        commitSha: upload.commitSha,
        runId: upload.runId,
        files: folder.files.length,
        bytes: folder.bytes,
        archiveBytes,
        skipped: folder.skipped
      }
    })

  const checkDbtArtifacts = (
    ciConfigId: number,
    options: DbtArtifactsCheckOptions
  ): Effect.Effect<DbtArtifactsStatus, DatafoldError> => {
    const checked = checkArtifactsCheck(ciConfigId, options)
    if (!checked.ok) return Effect.fail(inputErrorOf(checked.issues))
    const { branch, commitSha, runType } = checked.value
    const request: WireRequest = {
      method: "POST",
      url: `${host}${pathFor(CHECK_ARTIFACTS_PATH, checked.value.ciConfigId)}`,
      query: "",
      // A form, as the SDK sends it.
      body: new URLSearchParams({ commit_sha: commitSha, run_type: runType, branch }).toString(),
      contentType: "application/x-www-form-urlencoded"
    }
    return checkRetries((deadlineAt) => attempt(request, decodeStatus, deadlineAt))
  }

  const checkPrimaryKeys = (
    ciConfigId: number,
    manifest: string,
    cwd?: string
  ): Effect.Effect<ReadonlyArray<PrimaryKeyCheck>, DatafoldError | DatafoldArtifactsError> =>
    Effect.gen(function* () {
      const checked = checkPrimaryKeysInput(ciConfigId, manifest)
      if (!checked.ok) return yield* inputErrorOf(checked.issues)
      const path = isAbsolute(manifest) ? manifest : resolve(cwd ?? process.cwd(), manifest)
      yield* manifestProblem(manifest, path)
      const request: WireRequest<DatafoldArtifactsError> = {
        method: "POST",
        url: `${host}${pathFor(CHECK_PRIMARY_KEYS_PATH, checked.value.ciConfigId)}`,
        query: "",
        body: {
          _tag: "StreamBody",
          contentType: "application/json",
          open: (activity) => fileSource(manifest, path, activity)
        },
        maxAnswerBytes: MAX_PRIMARY_KEYS_BODY_BYTES
      }
      return yield* keysRetries((deadlineAt) => attempt(request, decodePrimaryKeys, deadlineAt))
    })

  return { prepareDbtUpload, uploadDbtArtifacts, checkDbtArtifacts, checkPrimaryKeys }
}

/** The calls {@link makeDbtCalls} gives. */
export type DbtCalls = ReturnType<typeof makeDbtCalls>

/** Why a manifest path cannot be sent, checked before sending. */
const manifestProblem = (given: string, path: string): Effect.Effect<void, DatafoldArtifactsError> =>
  Effect.flatMap(
    Effect.promise(() => stat(path).then((stats) => ({ stats }), (error: unknown) => ({ error }))),
    (found) => {
      if ("error" in found) {
        const detail = systemWords(found.error)
        return Effect.fail(
          new DatafoldArtifactsError({
            reason: detail === "ENOENT" || detail === "ENOTDIR" ? "FileNotFound" : "Unreadable",
            location: given,
            detail
          })
        )
      }
      return found.stats.isFile()
        ? Effect.promise(() => open(path, "r").then((handle) => handle.close().then(() => undefined), (error) => error))
          .pipe(
            Effect.flatMap((error) =>
              error === undefined ? Effect.void : Effect.fail(
                new DatafoldArtifactsError({ reason: "Unreadable", location: given, detail: systemWords(error) })
              )
            )
          )
        : Effect.fail(new DatafoldArtifactsError({ reason: "NotAFile", location: given, detail: "not a regular file" }))
    }
  )

/** A file's bytes as a body source, read a chunk at a time. */
const fileSource = (given: string, path: string, activity: () => void): BodySource<DatafoldArtifactsError> => {
  let failure: DatafoldArtifactsError | undefined
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const handle = await open(path, "r").catch((error: unknown) => {
      failure = new DatafoldArtifactsError({ reason: "ReadFailed", location: given, detail: systemWords(error) })
      throw error
    })
    try {
      for (;;) {
        const buffer = new Uint8Array(256 * 1024)
        const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null).catch((error: unknown) => {
          failure = new DatafoldArtifactsError({ reason: "ReadFailed", location: given, detail: systemWords(error) })
          throw error
        })
        if (bytesRead === 0) return
        activity()
        yield buffer.subarray(0, bytesRead)
      }
    } finally {
      await handle.close()
    }
  }
  return { chunks: chunks(), failure: () => failure }
}

/** One read of an upload: the multipart body around the folder's ZIP. */
const openUpload = (
  upload: CheckedDbtUpload,
  folder: TargetFolder,
  boundary: string,
  activity: () => void,
  onRead: (files: number, bytes: number) => void,
  onArchiveBytes: (bytes: number) => void
): BodySource<DatafoldArtifactsError> => {
  const zip = zipTargetFolder(folder, onRead)
  const multipart = multipartBody(uploadFields(upload), {
    field: "artifacts",
    filename: "artifacts.zip",
    type: "application/zip",
    chunks: () => zip.chunks
  }, boundary)
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for await (const chunk of multipart.chunks) {
      activity()
      yield chunk
    }
    onArchiveBytes(zip.archiveBytes())
  }
  return {
    chunks: chunks(),
    failure: () => {
      const problem = zip.failure()
      return problem === undefined ? undefined : artifactsErrorOf(problem, "ReadFailed")
    }
  }
}
