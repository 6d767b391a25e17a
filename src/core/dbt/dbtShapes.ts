/**
 * What a dbt artifacts upload reports and what the post-upload check asks, in plain
 * TypeScript: the same records in both Effect majors, which re-export them from their
 * `DbtArtifacts` modules, and built here once from a checked upload and its folder.
 *
 * @since 0.2.0
 */
import { pathFor, SUBMIT_ARTIFACTS_PATH } from "../apiPaths.ts"
import { PREPARED_HEADERS } from "../requestHeaders.ts"
import { uploadFields } from "./artifactsBody.ts"
import type { CheckedDbtUpload, RunType } from "./dbtInput.ts"
import { multipartContentType } from "./multipartBody.ts"
import type { SkipReason, TargetFolder } from "./targetFolder.ts"

/**
 * How far an upload has got, as it reads the folder: files and bytes read of the totals.
 *
 * @since 0.2.0
 * @category models
 */
export interface DbtUploadProgress {
  readonly files: number
  readonly totalFiles: number
  /** Bytes of the files read so far (before compression). */
  readonly bytes: number
  readonly totalBytes: number
}

/**
 * An entry of the folder that was not uploaded, and why: a link leading outside the
 * folder, a link leading nowhere, a link back up the tree, or not a file (a socket, a pipe).
 *
 * @since 0.2.0
 * @category models
 */
export interface SkippedArtifact {
  readonly name: string
  readonly reason: SkipReason
}

/**
 * What an upload sent.
 *
 * @since 0.2.0
 * @category models
 */
export interface DbtUpload {
  readonly ciConfigId: number
  readonly runType: RunType
  readonly commitSha: string
  readonly runId: string | undefined
  /** How many files went into the archive. */
  readonly files: number
  /** Their size before compression. */
  readonly bytes: number
  /** The size of the ZIP as sent. */
  readonly archiveBytes: number
  readonly skipped: ReadonlyArray<SkippedArtifact>
  /**
   * The files whose names are not UTF-8 (each byte that is not part of a UTF-8 character
   * as `\xHH`): uploaded under their names' bytes as the file system holds them, without
   * ZIP's UTF-8 flag, which a reader of the archive may show differently.
   */
  readonly notUtf8: ReadonlyArray<string>
}

/**
 * An upload as it would be sent, read from the folder but not zipped nor sent: what the
 * CLI's `--dry-run` shows. The key is redacted.
 *
 * @since 0.2.0
 * @category models
 */
export interface PreparedDbtUpload {
  readonly method: "POST"
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The form fields, in the order sent, before the `artifacts` file. */
  readonly fields: ReadonlyArray<readonly [name: string, value: string]>
  readonly ciConfigId: number
  readonly runType: RunType
  readonly commitSha: string
  readonly runId: string | undefined
  /** The files the archive would hold, by their names in it. */
  readonly files: ReadonlyArray<{ readonly name: string; readonly size: number }>
  readonly bytes: number
  readonly skipped: ReadonlyArray<SkippedArtifact>
  /** The files whose names are not UTF-8, as in {@link DbtUpload}. */
  readonly notUtf8: ReadonlyArray<string>
}

/**
 * What the post-upload check asks about: `POST /api/v1/dbt/post_upload_check_artifacts/{ci_config_id}`.
 *
 * @since 0.2.0
 * @category models
 */
export interface DbtArtifactsCheckOptions {
  readonly runType: RunType
  readonly branch: string
  readonly commitSha: string
}

/**
 * Where an upload goes.
 *
 * @since 0.2.0
 * @category constructors
 */
export const uploadUrl = (host: string, ciConfigId: number): string =>
  `${host}${pathFor(SUBMIT_ARTIFACTS_PATH, ciConfigId)}`

/**
 * The upload that would be sent to `host`, without zipping or sending anything.
 *
 * @since 0.2.0
 * @category constructors
 */
export const preparedDbtUpload = (host: string, upload: CheckedDbtUpload, folder: TargetFolder): PreparedDbtUpload => {
  const { maxUploadBytes: _limit, concurrency: _concurrency, ...sent } = upload
  return {
    method: "POST",
    url: uploadUrl(host, upload.ciConfigId),
    headers: { ...PREPARED_HEADERS, "content-type": multipartContentType("…") },
    fields: uploadFields(upload),
    ...sent,
    files: folder.files.map(({ name, size }) => ({ name, size })),
    bytes: folder.bytes,
    skipped: folder.skipped,
    notUtf8: folder.notUtf8
  }
}

/**
 * What an upload that arrived sent.
 *
 * @since 0.2.0
 * @category constructors
 */
export const dbtUploadSent = (upload: CheckedDbtUpload, folder: TargetFolder, archiveBytes: number): DbtUpload => ({
  ciConfigId: upload.ciConfigId,
  runType: upload.runType,
  commitSha: upload.commitSha,
  runId: upload.runId,
  files: folder.files.length,
  bytes: folder.bytes,
  archiveBytes,
  skipped: folder.skipped,
  notUtf8: folder.notUtf8
})
