/**
 * What the dbt calls send, before any Effect: the target folder walked and checked for
 * an upload, the upload's form fields and its streamed multipart body around the ZIP,
 * the manifest file checked and streamed for a primary-key check, and the upload's
 * progress, reported at most every {@link PROGRESS_EVERY_MILLIS}. A problem is the plain
 * record of an artifacts error's fields; each Effect major wraps it in its own
 * `DatafoldArtifactsError`, so both send the same bytes and refuse the same folders.
 *
 * @since 0.2.0
 */
import { open, stat } from "node:fs/promises"
import { isAbsolute, resolve } from "node:path"
import { type BodySource, mapSourceFailure } from "../streamBody.ts"
import { DEFAULT_MAX_UPLOAD_BYTES, uploadLimitProblem, zipTargetFolder } from "./artifactsZip.ts"
import type { CheckedDbtUpload } from "./dbtInput.ts"
import { manifestContentProblem } from "./manifestCheck.ts"
import type { ArtifactsProblemReason } from "./messages.ts"
import { multipartBody } from "./multipartBody.ts"
import { type FolderProblem, MANIFEST_FILE, readTargetFolder, systemWords, type TargetFolder } from "./targetFolder.ts"

/**
 * The fields of a `DatafoldArtifactsError`, as a plain record.
 *
 * @since 0.2.0
 * @category models
 */
export interface ArtifactsProblem {
  readonly reason: ArtifactsProblemReason
  /** The target folder (or manifest file) as it was given. */
  readonly location: string
  readonly path?: string | undefined
  readonly detail: string
}

/**
 * The longest an artifacts upload may take, retries included, unless the call says
 * otherwise: a big target folder on a slow runner takes minutes. Each attempt still
 * times out after the client's timeout without progress.
 *
 * @since 0.2.0
 * @category constants
 */
export const UPLOAD_DEADLINE_MILLIS = 30 * 60 * 1000

/**
 * How often an upload's progress is reported at most.
 *
 * @since 0.2.0
 * @category constants
 */
export const PROGRESS_EVERY_MILLIS = 100

/**
 * The problem of an upload's `deadline` option that is not a positive duration.
 *
 * @since 0.2.0
 * @category messages
 */
export const DEADLINE_PROBLEM = 'must be a positive duration, such as "30 minutes"'

/**
 * A folder's problem as an artifacts problem; `reason` overrides its own (a read that
 * failed mid-upload).
 *
 * @since 0.2.0
 * @category constructors
 */
export const artifactsProblemOf = (problem: FolderProblem, reason?: "ReadFailed"): ArtifactsProblem => ({
  reason: reason ?? problem.reason,
  location: problem.targetFolder,
  path: problem.path,
  detail: problem.detail
})

/**
 * The folder, walked and checked (the upload's size limit, `maxUploadBytes`, included), or
 * why it cannot be uploaded.
 *
 * @since 0.2.0
 * @category constructors
 */
export const walkForUpload = (
  targetFolder: string,
  cwd: string,
  maxUploadBytes: number = DEFAULT_MAX_UPLOAD_BYTES
):
  | { readonly ok: true; readonly folder: TargetFolder }
  | { readonly ok: false; readonly problem: ArtifactsProblem } => {
  const walk = readTargetFolder(targetFolder, cwd)
  if (!walk.ok) return { ok: false, problem: artifactsProblemOf(walk.problem) }
  const tooLarge = uploadLimitProblem(walk.folder, maxUploadBytes)
  return tooLarge === undefined ? walk : { ok: false, problem: artifactsProblemOf(tooLarge) }
}

/**
 * The form fields of an upload, in the order the SDK sends them, before the file.
 *
 * @since 0.2.0
 * @category constructors
 */
export const uploadFields = (upload: CheckedDbtUpload): ReadonlyArray<readonly [string, string]> => [
  ["commit_sha", upload.commitSha],
  ["run_type", upload.runType],
  ...(upload.runId === undefined ? [] : [["run_id", upload.runId] as const])
]

/**
 * One read of an upload: the multipart body around the folder's ZIP. `activity` is
 * called as each chunk is taken, `onRead` as the folder is read, and `onArchiveBytes`
 * with the ZIP's size once all of it was taken.
 *
 * @since 0.2.0
 * @category constructors
 */
export const openUploadBody = (
  upload: CheckedDbtUpload,
  folder: TargetFolder,
  boundary: string,
  activity: () => void,
  onRead: (files: number, bytes: number) => void,
  onArchiveBytes: (bytes: number) => void
): BodySource<ArtifactsProblem> => {
  const zip = zipTargetFolder(folder, onRead, { concurrency: upload.concurrency })
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
  return mapSourceFailure(
    { chunks: chunks(), failure: zip.failure },
    (problem) => artifactsProblemOf(problem, "ReadFailed")
  )
}

/**
 * Where a manifest path given relative to `cwd` is.
 *
 * @since 0.2.0
 * @category constructors
 */
export const manifestPath = (manifest: string, cwd: string): string =>
  isAbsolute(manifest) ? manifest : resolve(cwd, manifest)

/**
 * Why the manifest at `path` (given as `given`) cannot be sent, checked before sending:
 * missing, not a file, unreadable, or not a dbt manifest (empty, not JSON, no `metadata`
 * or `nodes`); `undefined` when it can be.
 *
 * @since 0.2.0
 * @category rules
 */
export const manifestProblem = async (given: string, path: string): Promise<ArtifactsProblem | undefined> => {
  let isFile: boolean
  try {
    isFile = (await stat(path)).isFile()
  } catch (error) {
    const detail = systemWords(error)
    return {
      reason: detail === "ENOENT" || detail === "ENOTDIR" ? "FileNotFound" : "Unreadable",
      location: given,
      detail
    }
  }
  if (!isFile) return { reason: "NotAFile", location: given, detail: "not a regular file" }
  try {
    await (await open(path, "r")).close()
  } catch (error) {
    return { reason: "Unreadable", location: given, detail: systemWords(error) }
  }
  const content = await manifestContentProblem(path)
  return content === undefined ? undefined : { reason: "NotAManifest", location: given, detail: content }
}

/**
 * Why the `manifest.json` of a walked target folder cannot be uploaded (empty, not JSON,
 * not a dbt manifest), read in bounded memory before anything is sent; `undefined` when
 * it reads as a manifest.
 *
 * @since 0.2.0
 * @category rules
 */
export const uploadManifestProblem = async (folder: TargetFolder): Promise<ArtifactsProblem | undefined> => {
  const manifest = folder.files.find((file) => file.name === MANIFEST_FILE)
  if (manifest === undefined) return undefined
  const content = await manifestContentProblem(manifest.path)
  return content === undefined
    ? undefined
    : { reason: "NotAManifest", location: folder.targetFolder, path: MANIFEST_FILE, detail: content }
}

/** Reads of a manifest: few round trips, a small part of memory. */
const MANIFEST_CHUNK_BYTES = 256 * 1024

/**
 * One read of a manifest file as a body, a chunk at a time.
 *
 * @since 0.2.0
 * @category constructors
 */
export const manifestBody = (given: string, path: string, activity: () => void): BodySource<ArtifactsProblem> => {
  let failure: ArtifactsProblem | undefined
  const readFailed = (error: unknown): never => {
    failure = { reason: "ReadFailed", location: given, detail: systemWords(error) }
    throw error
  }
  async function* chunks(): AsyncGenerator<Uint8Array> {
    const handle = await open(path, "r").catch(readFailed)
    try {
      for (;;) {
        const buffer = new Uint8Array(MANIFEST_CHUNK_BYTES)
        const { bytesRead } = await handle.read(buffer, 0, buffer.byteLength, null).catch(readFailed)
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

/**
 * How far an upload has got: files and bytes read (before compression) of the totals.
 *
 * @since 0.2.0
 * @category models
 */
export interface UploadProgress {
  readonly files: number
  readonly totalFiles: number
  readonly bytes: number
  readonly totalBytes: number
}

/**
 * An upload's progress, handed to `emit` at most every {@link PROGRESS_EVERY_MILLIS} as
 * the folder is read (`read`); `latest` is where it stands, for the report at the end.
 *
 * @since 0.2.0
 * @category constructors
 */
export const progressThrottle = (
  folder: TargetFolder,
  emit: (progress: UploadProgress) => void,
  now: () => number = Date.now
): { readonly read: (files: number, bytes: number) => void; readonly latest: () => UploadProgress } => {
  let last = 0
  let latest: UploadProgress = { files: 0, totalFiles: folder.files.length, bytes: 0, totalBytes: folder.bytes }
  return {
    read: (files, bytes) => {
      latest = { files, totalFiles: folder.files.length, bytes, totalBytes: folder.bytes }
      const at = now()
      if (at - last < PROGRESS_EVERY_MILLIS) return
      last = at
      emit(latest)
    },
    latest: () => latest
  }
}
