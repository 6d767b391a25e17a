/**
 * The Datafold CI client for Effect 4: a service whose calls are `Effect`s with typed
 * errors, provided by {@link DatafoldClient.Default} (the environment's key, Effect 4's
 * `fetch` client) or over an `HttpClient` of your own by `clientLayer`
 * (`DatafoldHttpClient`). Same API, errors and wire behaviour as the Effect 3 entry.
 *
 * @since 0.2.0
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import type { CiDiffInput } from "./CiDiff.ts"
import type { CiRun } from "./CiRun.ts"
import type { DatafoldClientService, ListRunsOptions } from "./DatafoldClientService.ts"
import { fromEnv, resolveOptions } from "./DatafoldConfig.ts"
import type { DatafoldArtifactsError } from "./DatafoldArtifactsError.ts"
import type { DatafoldError } from "./DatafoldError.ts"
import type { DatafoldNoRunWaitingError } from "./DatafoldNoRunWaitingError.ts"
import type { DatafoldWaitError } from "./DatafoldWaitError.ts"
import type { DbtArtifactsCheckOptions, DbtArtifactsStatus, DbtUpload, DbtUploadOptions } from "./DbtArtifacts.ts"
import { fromResult, makeService } from "./internal/makeService.ts"
import { readConfig } from "./internal/readConfig.ts"
import type { PrDetailsInput } from "./PrDetails.ts"
import type { PrimaryKeyCheck } from "./PrimaryKeyCheck.ts"
import type { RunTarget, WaitForRunOptions } from "./RunWait.ts"
import type { SubmitCiJob } from "./SubmitCiJob.ts"

export type {
  /**
   * What a client can do; documented in the `DatafoldClientService` module.
   *
   * @since 0.2.0
   * @category models
   */
  DatafoldClientService,
  /**
   * The filters of `listRuns`; documented in the `DatafoldClientService` module.
   *
   * @since 0.2.0
   * @category models
   */
  ListRunsOptions,
  /**
   * An upload of diffs as it would be sent; documented in the `DatafoldClientService` module.
   *
   * @since 0.2.0
   * @category models
   */
  PreparedSubmit,
  /**
   * A trigger request as it would be sent; documented in the `DatafoldClientService` module.
   *
   * @since 0.2.0
   * @category models
   */
  PreparedTrigger
} from "./DatafoldClientService.ts"

const DatafoldClientBase: Context.ServiceClass<
  DatafoldClient,
  "effect-datafold/DatafoldClient",
  DatafoldClientService
> = Context.Service<DatafoldClient, DatafoldClientService>()("effect-datafold/DatafoldClient")

/**
 * The `DatafoldClient` service (an Effect 4 service class: `yield* DatafoldClient`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldClient } from "effect-datafold/effect4"
 *
 * const program = Effect.gen(function* () {
 *   const client = yield* DatafoldClient
 *   const job = yield* client.trigger(1234, {
 *     pr_number: 42,
 *     pr_branch: "feature/orders-rollup",
 *     base_branch: "main",
 *     pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *     base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 *   })
 *   const runs = yield* client.listRuns(1234, { prNumber: 42 })
 *   console.log(`started ${job.ci_run_id}; ${runs.length} run(s) for the PR`)
 * })
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * ```
 *
 * @since 0.2.0
 * @category services
 */
export class DatafoldClient extends DatafoldClientBase {
  /**
   * The client from the environment's settings (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`,
   * `DATAFOLD_TIMEOUT`, `DATAFOLD_RETRIES`) over Effect 4's `fetch` `HttpClient`: needs
   * nothing. (Over an `HttpClient` of your own: `clientLayer`.)
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { DatafoldClient, listCiRuns } from "effect-datafold/effect4"
   *
   * // DATAFOLD_API_KEY (and DATAFOLD_HOST, DATAFOLD_TIMEOUT, DATAFOLD_RETRIES) from the environment
   * const runs = await Effect.runPromise(listCiRuns(1234).pipe(Effect.provide(DatafoldClient.Default)))
   * ```
   *
   * @since 0.2.0
   */
  static readonly Default: Layer.Layer<DatafoldClient, Config.ConfigError> = Layer.provide(
    Layer.effect(
      DatafoldClient,
      Effect.gen(function* () {
        const settings = yield* fromResult(resolveOptions(yield* readConfig(fromEnv)))
        return makeService(settings, yield* HttpClient.HttpClient)
      })
    ),
    FetchHttpClient.layer
  )
}

/**
 * Start a PR/MR run with the `DatafoldClient` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldClient, triggerCiRun } from "effect-datafold/effect4"
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
 * @since 0.2.0
 * @category accessors
 */
export const triggerCiRun = (
  ciConfigId: number,
  details: PrDetailsInput
): Effect.Effect<SubmitCiJob, DatafoldError, DatafoldClient> =>
  DatafoldClient.use((client) => client.trigger(ciConfigId, details))

/**
 * Upload PR/MR changes (the tables to diff) with the `DatafoldClient` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldClient, submitCiDiffs } from "effect-datafold/effect4"
 *
 * const program = submitCiDiffs(1234, 42, [
 *   { prod: "analytics.prod.orders", pr: "analytics.pr_42.orders", pk: ["order_id"] },
 *   { prod: "analytics.prod.customers", pr: "analytics.pr_42.customers", exclude_columns: ["updated_at"] }
 * ])
 *
 * const job = await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * console.log(`diffs attached to CI run ${job.ci_run_id}`)
 * ```
 *
 * @since 0.2.0
 * @category accessors
 */
export const submitCiDiffs = (
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<CiDiffInput>
): Effect.Effect<SubmitCiJob, DatafoldError | DatafoldNoRunWaitingError, DatafoldClient> =>
  DatafoldClient.use((client) => client.submitDiffs(ciConfigId, prNumber, diffs))

/**
 * List CI runs with the `DatafoldClient` in context.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldClient, listCiRuns } from "effect-datafold/effect4"
 *
 * const program = listCiRuns(1234, { prSha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3", limit: 10 }).pipe(
 *   Effect.flatMap((runs) => Effect.forEach(runs, (run) => Console.log(`${run.id} ${run.status} (PR ${run.pr_num})`)))
 * )
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * ```
 *
 * @since 0.2.0
 * @category accessors
 */
export const listCiRuns = (
  ciConfigId: number,
  options?: ListRunsOptions
): Effect.Effect<ReadonlyArray<CiRun>, DatafoldError, DatafoldClient> =>
  DatafoldClient.use((client) => client.listRuns(ciConfigId, options))

/**
 * Wait for a CI run to end, with the `DatafoldClient` in context.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldClient, waitForRun } from "effect-datafold/effect4"
 *
 * // The newest run of a commit, as an artifacts upload starts one
 * const program = waitForRun(1234, { prSha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3" }, {
 *   timeout: "30 minutes",
 *   onProgress: (progress) =>
 *     progress._tag === "Listed" && progress.changed
 *       ? Console.log(`run ${progress.run.id}: ${progress.run.status}`)
 *       : Effect.void
 * })
 *
 * const run = await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * console.log(`run ${run.id} is ${run.status}`)
 * ```
 *
 * @since 0.2.0
 * @category accessors
 */
export const waitForRun = (
  ciConfigId: number,
  target: RunTarget,
  options?: WaitForRunOptions
): Effect.Effect<CiRun, DatafoldError | DatafoldWaitError, DatafoldClient> =>
  DatafoldClient.use((client) => client.waitForRun(ciConfigId, target, options))

/**
 * Upload a dbt run's artifacts (its target folder, zipped as it is read), with the
 * `DatafoldClient` in context.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldClient, uploadDbtArtifacts } from "effect-datafold/effect4"
 *
 * // After `dbt build` on a pull request's head commit
 * const program = uploadDbtArtifacts(1234, {
 *   runType: "pull_request",
 *   targetFolder: "target",
 *   commitSha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *   onProgress: ({ files, totalFiles }) => Console.log(`${files}/${totalFiles} files read`)
 * })
 *
 * const upload = await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * console.log(`sent ${upload.files} files, ${upload.archiveBytes} bytes zipped`)
 * ```
 *
 * @since 0.2.0
 * @category accessors
 */
export const uploadDbtArtifacts = (
  ciConfigId: number,
  options: DbtUploadOptions
): Effect.Effect<DbtUpload, DatafoldError | DatafoldArtifactsError, DatafoldClient> =>
  DatafoldClient.use((client) => client.uploadDbtArtifacts(ciConfigId, options))

/**
 * Ask whether Datafold has a commit's dbt artifacts, with the `DatafoldClient` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { checkDbtArtifacts, DatafoldClient } from "effect-datafold/effect4"
 *
 * const program = checkDbtArtifacts(1234, {
 *   runType: "production",
 *   branch: "main",
 *   commitSha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 * })
 *
 * const status = await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * if (!status.ok) console.log(`Datafold has no artifacts for that commit yet (${status.status})`)
 * ```
 *
 * @since 0.2.0
 * @category accessors
 */
export const checkDbtArtifacts = (
  ciConfigId: number,
  options: DbtArtifactsCheckOptions
): Effect.Effect<DbtArtifactsStatus, DatafoldError, DatafoldClient> =>
  DatafoldClient.use((client) => client.checkDbtArtifacts(ciConfigId, options))

/**
 * Check a dbt manifest's primary keys, with the `DatafoldClient` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { checkPrimaryKeys, DatafoldClient } from "effect-datafold/effect4"
 *
 * const checks = await Effect.runPromise(
 *   checkPrimaryKeys(1234, "target/manifest.json").pipe(Effect.provide(DatafoldClient.Default))
 * )
 * for (const check of checks) {
 *   if (check.warnings.length > 0) console.warn(check.dbt_fqn.join("."), check.warnings.join("; "))
 * }
 * ```
 *
 * @since 0.2.0
 * @category accessors
 */
export const checkPrimaryKeys = (
  ciConfigId: number,
  manifest: string
): Effect.Effect<ReadonlyArray<PrimaryKeyCheck>, DatafoldError | DatafoldArtifactsError, DatafoldClient> =>
  DatafoldClient.use((client) => client.checkPrimaryKeys(ciConfigId, manifest))
