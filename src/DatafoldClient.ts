/**
 * The Datafold CI client: a service whose calls are `Effect`s with typed errors, built
 * from an `HttpClient` and an API key by {@link DatafoldClient.layer} or
 * {@link DatafoldClient.layerConfig}.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { CiDiffInput } from "./CiDiff.ts"
import type { CiRun } from "./CiRun.ts"
import type { DatafoldClientService, ListRunsOptions } from "./DatafoldClientService.ts"
import { type DatafoldClientOptions, fromEnv } from "./DatafoldConfig.ts"
import type { DatafoldArtifactsError } from "./DatafoldArtifactsError.ts"
import type { DatafoldError } from "./DatafoldError.ts"
import type { DatafoldNoRunWaitingError } from "./DatafoldNoRunWaitingError.ts"
import type { DatafoldWaitError } from "./DatafoldWaitError.ts"
import type { DbtArtifactsCheckOptions, DbtArtifactsStatus, DbtUpload, DbtUploadOptions } from "./DbtArtifacts.ts"
import { fetchSend } from "./internal/fetchWire.ts"
import { loadWithPlatform } from "./internal/optionalPeer.ts"
import { clientOnWire, readConfig } from "./internal/wireClient.ts"
import type { PrDetailsInput } from "./PrDetails.ts"
import type { PrimaryKeyCheck } from "./PrimaryKeyCheck.ts"
import type { RunTarget, WaitForRunOptions } from "./RunWait.ts"
import type { SubmitCiJob } from "./SubmitCiJob.ts"

export type {
  /**
   * What a client can do; documented in the `DatafoldClientService` module.
   *
   * @since 0.1.0
   * @category models
   */
  DatafoldClientService,
  /**
   * The filters of `listRuns`; documented in the `DatafoldClientService` module.
   *
   * @since 0.1.0
   * @category models
   */
  ListRunsOptions,
  /**
   * An upload of diffs as it would be sent; documented in the `DatafoldClientService` module.
   *
   * @since 0.1.0
   * @category models
   */
  PreparedSubmit,
  /**
   * A trigger request as it would be sent; documented in the `DatafoldClientService` module.
   *
   * @since 0.1.0
   * @category models
   */
  PreparedTrigger
} from "./DatafoldClientService.ts"

/**
 * Build a client from options, using the `HttpClient` in context. Fails with a
 * `ConfigError` when an option is invalid (an empty key, a plain-http host that is not
 * loopback, a non-positive timeout). Its code, which needs `@effect/platform`, is loaded
 * when it first runs: the main entry itself loads without the platform.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: DatafoldClientOptions
): Effect.Effect<DatafoldClientService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(
    Effect.promise(() =>
      loadWithPlatform("DatafoldClient.layer (over an HttpClient)", () => import("./internal/clientOverHttpClient.ts"))
    ),
    ({ makeOverHttpClient }) => makeOverHttpClient(options)
  )

const DatafoldClientTag: Context.TagClass<DatafoldClient, "effect-datafold/DatafoldClient", DatafoldClientService> =
  Context.Tag("effect-datafold/DatafoldClient")<DatafoldClient, DatafoldClientService>()

/**
 * The `DatafoldClient` service.
 *
 * @since 0.1.0
 * @category tags
 */
export class DatafoldClient extends DatafoldClientTag {
  /**
   * A layer from explicit options; needs an `HttpClient`.
   *
   * @since 0.1.0
   */
  static readonly layer = (
    options: DatafoldClientOptions
  ): Layer.Layer<DatafoldClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.effect(DatafoldClient, make(options))

  /**
   * A layer reading its options from `Config`: by default the environment
   * (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT`, `DATAFOLD_RETRIES`).
   * Needs an `HttpClient`.
   *
   * @since 0.1.0
   */
  static readonly layerConfig = (
    config: Config.Config<DatafoldClientOptions> = fromEnv
  ): Layer.Layer<DatafoldClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.effect(DatafoldClient, Effect.flatMap(readConfig(config), make))

  /**
   * The client from the environment's settings (as {@link DatafoldClient.layerConfig}),
   * sending with the runtime's `fetch`: needs nothing, `@effect/platform` included. (On
   * Node, `effect-datafold/node`'s `Default` is faster.)
   *
   * @since 0.1.0
   */
  static readonly Default: Layer.Layer<DatafoldClient, ConfigError.ConfigError> = Layer.effect(
    DatafoldClient,
    clientOnWire(fromEnv, Effect.succeed(fetchSend))
  )
}

/**
 * Start a PR/MR run with the `DatafoldClient` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldClient, triggerCiRun } from "effect-datafold"
 *
 * const program = triggerCiRun(1234, {
 *   pr_number: 42,
 *   pr_branch: "feature/orders-rollup",
 *   base_branch: "main",
 *   pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *   base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 * })
 *
 * const job = await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * console.log(`CI run ${job.ci_run_id}`)
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const triggerCiRun = (
  ciConfigId: number,
  details: PrDetailsInput
): Effect.Effect<SubmitCiJob, DatafoldError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.trigger(ciConfigId, details))

/**
 * Upload PR/MR changes (the tables to diff) with the `DatafoldClient` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const submitCiDiffs = (
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<CiDiffInput>
): Effect.Effect<SubmitCiJob, DatafoldError | DatafoldNoRunWaitingError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.submitDiffs(ciConfigId, prNumber, diffs))

/**
 * List CI runs with the `DatafoldClient` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const listCiRuns = (
  ciConfigId: number,
  options?: ListRunsOptions
): Effect.Effect<ReadonlyArray<CiRun>, DatafoldError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.listRuns(ciConfigId, options))

/**
 * Wait for a CI run to end, with the `DatafoldClient` in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const waitForRun = (
  ciConfigId: number,
  target: RunTarget,
  options?: WaitForRunOptions
): Effect.Effect<CiRun, DatafoldError | DatafoldWaitError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.waitForRun(ciConfigId, target, options))

/**
 * Upload a dbt run's artifacts (its target folder, zipped as it is read), with the
 * `DatafoldClient` in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const uploadDbtArtifacts = (
  ciConfigId: number,
  options: DbtUploadOptions
): Effect.Effect<DbtUpload, DatafoldError | DatafoldArtifactsError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.uploadDbtArtifacts(ciConfigId, options))

/**
 * Ask whether Datafold has a commit's dbt artifacts, with the `DatafoldClient` in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const checkDbtArtifacts = (
  ciConfigId: number,
  options: DbtArtifactsCheckOptions
): Effect.Effect<DbtArtifactsStatus, DatafoldError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.checkDbtArtifacts(ciConfigId, options))

/**
 * Check a dbt manifest's primary keys, with the `DatafoldClient` in context.
 *
 * @since 0.2.0
 * @category accessors
 */
export const checkPrimaryKeys = (
  ciConfigId: number,
  manifest: string
): Effect.Effect<ReadonlyArray<PrimaryKeyCheck>, DatafoldError | DatafoldArtifactsError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.checkPrimaryKeys(ciConfigId, manifest))
