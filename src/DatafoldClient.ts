/**
 * The Datafold CI client: a service whose calls are `Effect`s with typed errors, built
 * from an `HttpClient` and an API key by {@link DatafoldClient.layer} or
 * {@link DatafoldClient.layerConfig}.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Layer from "effect/Layer"
import type { CiDiffInput } from "./CiDiff.ts"
import type { CiRun } from "./CiRun.ts"
import type { DatafoldClientService, ListRunsOptions } from "./DatafoldClientService.ts"
import { type DatafoldClientOptions, fromEnv, type ResolvedOptions, resolveOptions } from "./DatafoldConfig.ts"
import type { DatafoldError } from "./DatafoldError.ts"
import { environmentUnreadable } from "./core/settings.ts"
import type { DatafoldNoRunWaitingError } from "./DatafoldNoRunWaitingError.ts"
import { authorizedClient } from "./internal/authorizedClient.ts"
import * as FetchTransport from "./internal/fetchTransport.ts"
import { makeService } from "./internal/makeService.ts"
import { sendOverClient } from "./internal/sendOverClient.ts"
import { wireOf } from "./internal/wire.ts"
import type { PrDetailsInput } from "./PrDetails.ts"
import type { SubmitCiJob } from "./SubmitCiJob.ts"

export type {
  DatafoldClientService,
  ListRunsOptions,
  PreparedSubmit,
  PreparedTrigger
} from "./DatafoldClientService.ts"

/**
 * Build a client from options, using the `HttpClient` in context. Fails with a
 * `ConfigError` when an option is invalid (an empty key, a plain-http host that is not
 * loopback, a non-positive timeout).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: DatafoldClientOptions
): Effect.Effect<DatafoldClientService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const settings: ResolvedOptions = yield* resolveOptions(options)
    const baseClient = yield* HttpClient.HttpClient
    // A user's transformClient is honoured by the general path; else the library's own
    // transport (the default fetch, the Node layer) sends straight over its wire.
    const wire = settings.transformClient === undefined ? wireOf(baseClient) : undefined
    if (wire !== undefined) return makeService(settings, { _tag: "Wire", wire })
    const transform = settings.transformClient ?? identity
    return makeService(settings, {
      _tag: "Send",
      sendFor: (headers, scrub) => sendOverClient(transform(authorizedClient(baseClient, headers)), scrub)
    })
  })

const DatafoldClientTag: Context.TagClass<DatafoldClient, "effect-datafold/DatafoldClient", DatafoldClientService> =
  Context.Tag("effect-datafold/DatafoldClient")<DatafoldClient, DatafoldClientService>()

/**
 * Read the configuration, turning a runtime that refuses to show the environment (Deno
 * without `--allow-env` for these variables throws) into a `ConfigError` that says so,
 * instead of a defect.
 */
const readConfig = <A>(config: Config.Config<A>): Effect.Effect<A, ConfigError.ConfigError> =>
  Effect.catchAllDefect(config, (defect) =>
    Effect.fail(
      ConfigError.SourceUnavailable(
        [],
        environmentUnreadable(defect instanceof Error ? defect.message : String(defect)),
        Cause.die(defect)
      )
    ))

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
   * {@link DatafoldClient.layerConfig} over the environment with the portable
   * `fetch`-based `HttpClient` already provided: needs nothing. (On Node,
   * `effect-datafold/node`'s `Default` is faster.)
   *
   * @since 0.1.0
   */
  static readonly Default: Layer.Layer<DatafoldClient, ConfigError.ConfigError> = Layer.provide(
    DatafoldClient.layerConfig(),
    FetchTransport.layer
  )
}

/**
 * Start a PR/MR run with the `DatafoldClient` in context.
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
