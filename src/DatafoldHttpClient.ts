/**
 * The client and the data-diffs service over an `HttpClient` of your own (a proxy, extra
 * headers, tracing, `@effect/platform-node`'s client, `effect-datafold/node`'s layers): the
 * constructors and layers that need `@effect/platform`, exported by `effect-datafold/api`
 * so that the main entry's declarations need no optional peer. The main entry's
 * `DatafoldClient.Default` and `DatafoldDataDiffs.Default` need none of this.
 *
 * @since 0.3.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { DataDiffsService } from "./DataDiffsService.ts"
import { DatafoldDataDiffs } from "./DataDiffs.ts"
import { DatafoldClient } from "./DatafoldClient.ts"
import type { DatafoldClientService } from "./DatafoldClientService.ts"
import { fromEnv } from "./DatafoldConfig.ts"
import type { HttpClientOptions } from "./HttpClientOptions.ts"
import { loadWithPlatform } from "./internal/optionalPeer.ts"
import { readConfig } from "./internal/wireClient.ts"

/**
 * Build a client from options, using the `HttpClient` in context. Fails with a
 * `ConfigError` when an option is invalid (an empty key, a plain-http host that is not
 * loopback, a non-positive timeout). Its code is loaded when it first runs.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 * import { makeClient } from "effect-datafold/api"
 *
 * // A client of your own, over the HttpClient in context
 * const program = Effect.gen(function* () {
 *   const client = yield* makeClient({ apiKey: Redacted.make(process.env.MY_DATAFOLD_KEY ?? ""), retries: 5 })
 *   const runs = yield* client.listRuns(1234, { prNumber: 42 })
 *   console.log(`${runs.length} run(s) on ${client.host}`)
 * })
 *
 * await Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer)))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeClient = (
  options: HttpClientOptions
): Effect.Effect<DatafoldClientService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(
    Effect.promise(() =>
      loadWithPlatform("clientLayer (over an HttpClient)", () => import("./internal/clientOverHttpClient.ts"))
    ),
    ({ makeOverHttpClient }) => makeOverHttpClient(options)
  )

/**
 * The `DatafoldClient` from explicit options; needs an `HttpClient`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer, Redacted } from "effect"
 * import { listCiRuns } from "effect-datafold"
 * import { clientLayer } from "effect-datafold/api"
 *
 * const DatafoldLive = clientLayer({
 *   apiKey: Redacted.make(process.env.MY_DATAFOLD_KEY ?? ""),
 *   host: "https://datafold.example.com",
 *   timeout: "10 seconds",
 *   retries: 2
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 *
 * const runs = await Effect.runPromise(listCiRuns(1234).pipe(Effect.provide(DatafoldLive)))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const clientLayer = (
  options: HttpClientOptions
): Layer.Layer<DatafoldClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DatafoldClient, makeClient(options))

/**
 * The `DatafoldClient` with its options read from `Config`: by default the environment
 * (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT`, `DATAFOLD_RETRIES`). Needs an
 * `HttpClient`.
 *
 * @example
 * ```ts
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Config, Effect, Layer } from "effect"
 * import { listCiRuns } from "effect-datafold"
 * import { clientLayerConfig } from "effect-datafold/api"
 *
 * // The key and host from variables named your way, over Node's HTTP client
 * const DatafoldLive = clientLayerConfig(
 *   Config.all({
 *     apiKey: Config.redacted("CI_DATAFOLD_TOKEN"),
 *     host: Config.string("CI_DATAFOLD_URL").pipe(Config.withDefault("https://app.datafold.com"))
 *   })
 * ).pipe(Layer.provide(NodeHttpClient.layer))
 *
 * const runs = await Effect.runPromise(listCiRuns(1234).pipe(Effect.provide(DatafoldLive)))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const clientLayerConfig = (
  config: Config.Config<HttpClientOptions> = fromEnv
): Layer.Layer<DatafoldClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DatafoldClient, Effect.flatMap(readConfig(config), makeClient))

/**
 * Build the data-diffs service from options, using the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Redacted } from "effect"
 * import { makeDataDiffs } from "effect-datafold/api"
 *
 * const program = Effect.gen(function* () {
 *   const diffs = yield* makeDataDiffs({ apiKey: Redacted.make(process.env.MY_DATAFOLD_KEY ?? "") })
 *   console.log((yield* diffs.organizationMeta()).org_name)
 * })
 *
 * await Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer)))
 * ```
 *
 * @since 0.3.0
 * @category constructors
 */
export const makeDataDiffs = (
  options: HttpClientOptions
): Effect.Effect<DataDiffsService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.flatMap(
    Effect.promise(() =>
      loadWithPlatform("dataDiffsLayer (over an HttpClient)", () => import("./internal/dataDiffsOverHttpClient.ts"))
    ),
    ({ makeDataDiffsOverHttpClient }) => makeDataDiffsOverHttpClient(options)
  )

/**
 * The `DatafoldDataDiffs` service from explicit options; needs an `HttpClient`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { dataDiffsLayer } from "effect-datafold/api"
 *
 * const DataDiffsLive = dataDiffsLayer({ apiKey: Redacted.make(process.env.MY_DATAFOLD_KEY ?? "") }).pipe(
 *   Layer.provide(FetchHttpClient.layer)
 * )
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const dataDiffsLayer = (
  options: HttpClientOptions
): Layer.Layer<DatafoldDataDiffs, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DatafoldDataDiffs, makeDataDiffs(options))

/**
 * The `DatafoldDataDiffs` service with its options read from `Config` (by default the
 * environment, as {@link clientLayerConfig}); needs an `HttpClient`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Layer } from "effect"
 * import { dataDiffsLayerConfig } from "effect-datafold/api"
 *
 * const DataDiffsLive = dataDiffsLayerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const dataDiffsLayerConfig = (
  config: Config.Config<HttpClientOptions> = fromEnv
): Layer.Layer<DatafoldDataDiffs, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DatafoldDataDiffs, Effect.flatMap(readConfig(config), makeDataDiffs))
