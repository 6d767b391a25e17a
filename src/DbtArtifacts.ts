/**
 * The dbt Core workflow's shapes: what an artifacts upload takes and reports, the answer
 * of the post-upload check, and the run types.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { RunType as CoreRunType } from "./core/dbt/dbtInput.ts"
import type { SkipReason } from "./core/dbt/targetFolder.ts"
import type { ClassBase } from "./internal/schemaClass.ts"

/**
 * The kind of dbt build the artifacts come from: the main branch's (`production`, on
 * merge) or a pull request's (`pull_request`, on every PR build).
 *
 * @since 0.2.0
 * @category schemas
 */
export const RunType: Schema.Literal<["production", "pull_request"]> = Schema.Literal("production", "pull_request")

/**
 * A {@link RunType} value.
 *
 * @since 0.2.0
 * @category models
 */
export type RunType = CoreRunType

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
 * What to upload: `POST /api/v1/dbt/submit_artifacts/{ci_config_id}`.
 *
 * @since 0.2.0
 * @category models
 */
export interface DbtUploadOptions {
  readonly runType: RunType
  /** The dbt target folder (relative paths are resolved against the working directory). */
  readonly targetFolder: string
  /** The commit the artifacts were built from: on a PR build, the PR head, never a merge commit. */
  readonly commitSha: string
  /** "Low-drift" CI: the production run a PR build is compared with. */
  readonly runId?: string | number | undefined
  /** What a relative `targetFolder` is resolved against; default the working directory. */
  readonly cwd?: string | undefined
  /**
   * The longest the upload may take, retries included; default 30 minutes. Each attempt
   * also times out after the client's timeout without progress (no chunk taken by the
   * connection, or no answer once all was sent).
   */
  readonly deadline?: Duration.DurationInput | undefined
  /** Called as the folder is read (at most about ten times a second). */
  readonly onProgress?: ((progress: DbtUploadProgress) => Effect.Effect<void>) | undefined
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

const DbtArtifactsStatusBase: ClassBase<DbtArtifactsStatus, { status: typeof Schema.String }> = Schema.Class<
  DbtArtifactsStatus
>("DbtArtifactsStatus")({ status: Schema.String })

/**
 * The post-upload check's answer: `{"status": "ok"}` once Datafold has the artifacts.
 * Any other status means it has not (yet). Unknown keys are ignored.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { checkDbtArtifacts, DatafoldClient } from "effect-datafold"
 *
 * // Ask every 10 seconds, at most 31 times, until Datafold has the production artifacts
 * const program = checkDbtArtifacts(1234, {
 *   runType: "production",
 *   branch: "main",
 *   commitSha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 * }).pipe(Effect.delay("10 seconds"), Effect.repeat({ until: (status) => status.ok, times: 30 }))
 *
 * const status = await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * console.log(status.ok ? "artifacts received" : `still ${status.status}`)
 * ```
 *
 * @since 0.2.0
 * @category schemas
 */
export class DbtArtifactsStatus extends DbtArtifactsStatusBase {
  /** Whether Datafold has the artifacts. */
  get ok(): boolean {
    return this.status === "ok"
  }
}
