/**
 * The dbt Core workflow's shapes (Effect 4): what an artifacts upload takes and reports,
 * the answer of the post-upload check, and the run types. The same shapes as the Effect 3
 * entry's.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { RunType as CoreRunType } from "../core/dbt/dbtInput.ts"
import type { ClassBase } from "./schemaClass.ts"
import type { DbtUploadProgress } from "../core/dbt/dbtShapes.ts"

export type {
  /**
   * What the post-upload check asks about.
   *
   * @since 0.2.0
   * @category models
   */
  DbtArtifactsCheckOptions,
  /**
   * What an upload sent.
   *
   * @since 0.2.0
   * @category models
   */
  DbtUpload,
  /**
   * How far an upload has got, as it reads the folder.
   *
   * @since 0.2.0
   * @category models
   */
  DbtUploadProgress,
  /**
   * An upload as it would be sent (the CLI's `--dry-run`).
   *
   * @since 0.2.0
   * @category models
   */
  PreparedDbtUpload,
  /**
   * An entry of the folder that was not uploaded, and why.
   *
   * @since 0.2.0
   * @category models
   */
  SkippedArtifact
} from "../core/dbt/dbtShapes.ts"

/**
 * The kind of dbt build the artifacts come from: the main branch's (`production`, on
 * merge) or a pull request's (`pull_request`, on every PR build).
 *
 * @since 0.2.0
 * @category schemas
 */
export const RunType: Schema.Literals<readonly ["production", "pull_request"]> = Schema.Literals([
  "production",
  "pull_request"
])

/**
 * A {@link RunType} value.
 *
 * @since 0.2.0
 * @category models
 */
export type RunType = CoreRunType

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
  /**
   * A safety limit: the most bytes (before compression) the folder may hold; default 10 GiB.
   * A larger folder is refused before anything is sent (`DatafoldArtifactsError`, reason
   * `TooLarge`). The archive itself has no limit: past 4 GiB or 65 535 files it is ZIP64.
   */
  readonly maxUploadBytes?: number | undefined
  /**
   * How many 1 MiB segments of a large file, or files of 64 KiB to 1 MiB, are deflated at
   * once (1 to 16); default the cores, two to four. The archive is the same bytes whatever it is; 1 keeps the upload to
   * one core and the least memory.
   */
  readonly concurrency?: number | undefined
  /** What a relative `targetFolder` is resolved against; default the working directory. */
  readonly cwd?: string | undefined
  /**
   * The longest the upload may take, retries included; default 30 minutes. Each attempt
   * also times out after the client's timeout without progress (no chunk taken by the
   * connection, or no answer once all was sent).
   */
  readonly deadline?: Duration.Input | undefined
  /** Called as the folder is read (at most about ten times a second). */
  readonly onProgress?: ((progress: DbtUploadProgress) => Effect.Effect<void>) | undefined
}

const DbtArtifactsStatusBase: ClassBase<DbtArtifactsStatus, { status: Schema.String }> = Schema.Class<
  DbtArtifactsStatus
>("DbtArtifactsStatus")({ status: Schema.String })

/**
 * The post-upload check's answer: `{"status": "ok"}` once Datafold has the artifacts.
 * Any other status means it has not (yet). Unknown keys are ignored.
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
