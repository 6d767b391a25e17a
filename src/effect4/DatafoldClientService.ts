/**
 * What a Datafold client can do on Effect 4, and the shapes its calls take and give: the
 * `DatafoldClient` service's interface, apart from how a client is built.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import type { CiDiff, CiDiffInput } from "./CiDiff.ts"
import type { CiRun } from "./CiRun.ts"
import type { DatafoldArtifactsError } from "./DatafoldArtifactsError.ts"
import type { DatafoldError, DatafoldInputError } from "./DatafoldError.ts"
import type { DatafoldNoRunWaitingError } from "./DatafoldNoRunWaitingError.ts"
import type { DatafoldWaitError } from "./DatafoldWaitError.ts"
import type {
  DbtArtifactsCheckOptions,
  DbtArtifactsStatus,
  DbtUpload,
  DbtUploadOptions,
  PreparedDbtUpload
} from "./DbtArtifacts.ts"
import type { PrDetails, PrDetailsInput } from "./PrDetails.ts"
import type { PrimaryKeyCheck } from "./PrimaryKeyCheck.ts"
import type { RunTarget, WaitForRunOptions } from "./RunWait.ts"
import type { SubmitCiJob } from "./SubmitCiJob.ts"

/**
 * A trigger request exactly as it would be sent, with the key redacted.
 *
 * @since 0.2.0
 * @category models
 */
export interface PreparedTrigger {
  readonly method: "POST"
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The JSON body, as sent. */
  readonly body: string
  /** The validated details (SHAs in lower case). */
  readonly details: PrDetails
}

/**
 * An upload of diffs exactly as it would be sent, with the key redacted.
 *
 * @since 0.2.0
 * @category models
 */
export interface PreparedSubmit {
  readonly method: "POST"
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The JSON body, as sent. */
  readonly body: string
  /** The validated diffs, defaults filled in. */
  readonly diffs: ReadonlyArray<CiDiff>
}

/**
 * Filters for {@link DatafoldClientService.listRuns}.
 *
 * @since 0.2.0
 * @category models
 */
export interface ListRunsOptions {
  readonly prSha?: string | undefined
  readonly prNumber?: number | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

/**
 * What a `DatafoldClient` can do.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldClient } from "effect-datafold/effect4"
 *
 * // A dry run: the request a trigger would send, checked but not sent (the key redacted)
 * const program = Effect.gen(function* () {
 *   const client = yield* DatafoldClient
 *   const prepared = yield* client.prepareTrigger(1234, {
 *     pr_number: 42,
 *     pr_branch: "feature/orders-rollup",
 *     base_branch: "main",
 *     pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *     base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 *   })
 *   console.log(prepared.method, prepared.url)
 *   console.log(prepared.body)
 * })
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * ```
 *
 * @since 0.2.0
 * @category models
 */
export interface DatafoldClientService {
  /** The base URL calls go to, without a trailing slash. */
  readonly host: string
  /**
   * Start a PR/MR run: `POST /api/v1/ci/{ciConfigId}/trigger`. Bad input fails with
   * `DatafoldInputError` before anything is sent. Transient failures are retried; when
   * an attempt may have reached Datafold, the next one first looks for the run it
   * started and returns that run instead of starting a second.
   */
  readonly trigger: (ciConfigId: number, details: PrDetailsInput) => Effect.Effect<SubmitCiJob, DatafoldError>
  /** The request `trigger` would send, without sending it. */
  readonly prepareTrigger: (
    ciConfigId: number,
    details: PrDetailsInput
  ) => Effect.Effect<PreparedTrigger, DatafoldInputError>
  /**
   * Upload PR/MR changes: `POST /api/v1/ci/{ciConfigId}/{prNumber}` with the tables to
   * diff. Fails with `DatafoldNoRunWaitingError` when no run is waiting: trigger first.
   * Only failures after which the upload surely did not arrive are retried.
   */
  readonly submitDiffs: (
    ciConfigId: number,
    prNumber: number,
    diffs: ReadonlyArray<CiDiffInput>
  ) => Effect.Effect<SubmitCiJob, DatafoldError | DatafoldNoRunWaitingError>
  /** The request `submitDiffs` would send, without sending it. */
  readonly prepareSubmit: (
    ciConfigId: number,
    prNumber: number,
    diffs: ReadonlyArray<CiDiffInput>
  ) => Effect.Effect<PreparedSubmit, DatafoldInputError>
  /** `GET /api/v1/ci/{ciConfigId}/runs`, filtered by PR SHA and number. */
  readonly listRuns: (
    ciConfigId: number,
    options?: ListRunsOptions
  ) => Effect.Effect<ReadonlyArray<CiRun>, DatafoldError>
  /**
   * Wait for a CI run to end: look at the runs listing (once per look, backing off from
   * 2 s to 15 s between looks) until the run is `done`. A run that `failed` or was
   * `cancelled`, that never appeared, or that did not finish in time fails with its own
   * {@link DatafoldWaitError}.
   */
  readonly waitForRun: (
    ciConfigId: number,
    target: RunTarget,
    options?: WaitForRunOptions
  ) => Effect.Effect<CiRun, DatafoldError | DatafoldWaitError>
  /**
   * Upload a dbt run's artifacts: `POST /api/v1/dbt/submit_artifacts/{ciConfigId}`, a
   * deflate ZIP of the whole target folder streamed from disk into a multipart request
   * (memory stays bounded whatever the folder's size). Bad input, a missing folder, one
   * without `manifest.json` or a file that cannot be read fail before anything is sent.
   * Only failures after which the upload surely did not arrive are retried.
   */
  readonly uploadDbtArtifacts: (
    ciConfigId: number,
    options: DbtUploadOptions
  ) => Effect.Effect<DbtUpload, DatafoldError | DatafoldArtifactsError>
  /** The upload `uploadDbtArtifacts` would send (the folder read, nothing zipped nor sent). */
  readonly prepareDbtUpload: (
    ciConfigId: number,
    options: DbtUploadOptions
  ) => Effect.Effect<PreparedDbtUpload, DatafoldError | DatafoldArtifactsError>
  /** Whether Datafold has a commit's artifacts: `POST /api/v1/dbt/post_upload_check_artifacts/{ciConfigId}`. */
  readonly checkDbtArtifacts: (
    ciConfigId: number,
    options: DbtArtifactsCheckOptions
  ) => Effect.Effect<DbtArtifactsStatus, DatafoldError>
  /**
   * The primary keys Datafold finds for each model of a dbt manifest (the file at the
   * path `manifest`, streamed as the body):
   * `POST /api/internal/ci/{ciConfigId}/check_pks_in_dbt_manifest`.
   */
  readonly checkPrimaryKeys: (
    ciConfigId: number,
    manifest: string
  ) => Effect.Effect<ReadonlyArray<PrimaryKeyCheck>, DatafoldError | DatafoldArtifactsError>
}
