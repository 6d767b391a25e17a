/**
 * The client and the data-diffs service over an `HttpClient` of your own (Effect 4's, from
 * `effect/http`: a proxy, extra headers, tracing). Effect 4's `HttpClient` ships with
 * `effect`, so `effect-datafold/effect4` exports these itself; the Effect 3 entry has the
 * same names in `effect-datafold/api`, since there they need `@effect/platform`, an
 * optional peer.
 *
 * @since 0.3.0
 */
import type * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import type { DataDiffsService } from "./DataDiffsService.ts"
import { DatafoldDataDiffs } from "./DataDiffs.ts"
import { DatafoldClient } from "./DatafoldClient.ts"
import type { DatafoldClientService } from "./DatafoldClientService.ts"
import { fromEnv, resolveOptions } from "./DatafoldConfig.ts"
import type { HttpClientOptions } from "./HttpClientOptions.ts"
import { makeDataDiffsService } from "./internal/dataDiffsService.ts"
import { fromResult, makeService } from "./internal/makeService.ts"
import { readConfig } from "./internal/readConfig.ts"

/**
 * Build a client from options, using the `HttpClient` in context. Fails with a
 * `ConfigError` when an option is invalid (an empty key, a plain-http host that is not
 * loopback, a non-positive timeout).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "effect/http"
 * import { Effect, Redacted } from "effect"
 * import { makeClient } from "effect-datafold/effect4"
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
): Effect.Effect<DatafoldClientService, Config.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const settings = yield* fromResult(resolveOptions(options))
    return makeService(settings, yield* HttpClient.HttpClient, options.transformClient)
  })

/**
 * The `DatafoldClient` from explicit options; needs an `HttpClient`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "effect/http"
 * import { Effect, Layer, Redacted } from "effect"
 * import { clientLayer, listCiRuns } from "effect-datafold/effect4"
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
): Layer.Layer<DatafoldClient, Config.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DatafoldClient, makeClient(options))

/**
 * The `DatafoldClient` with its options read from `Config`: by default the environment
 * (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT`, `DATAFOLD_RETRIES`). Needs an
 * `HttpClient`.
 *
 * @example
 * ```ts
 * import { Config, Effect, Layer } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { clientLayerConfig, listCiRuns } from "effect-datafold/effect4"
 *
 * // The key and host from variables named your way
 * const DatafoldLive = clientLayerConfig(
 *   Config.all({
 *     apiKey: Config.Redacted("CI_DATAFOLD_TOKEN"),
 *     host: Config.String("CI_DATAFOLD_URL").pipe(Config.withDefault("https://app.datafold.com"))
 *   })
 * ).pipe(Layer.provide(FetchHttpClient.layer))
 *
 * const runs = await Effect.runPromise(listCiRuns(1234).pipe(Effect.provide(DatafoldLive)))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const clientLayerConfig = (
  config: Config.Config<HttpClientOptions> = fromEnv
): Layer.Layer<DatafoldClient, Config.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DatafoldClient, Effect.flatMap(readConfig(config), makeClient))

/**
 * Build the data-diffs service from options, using the `HttpClient` in context.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "effect/http"
 * import { Effect, Redacted } from "effect"
 * import { makeDataDiffs } from "effect-datafold/effect4"
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
): Effect.Effect<DataDiffsService, Config.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const resolved = resolveOptions(options)
    if (Result.isFailure(resolved)) return yield* Effect.fail(resolved.failure)
    return makeDataDiffsService(resolved.success, yield* HttpClient.HttpClient, options.transformClient)
  })

/**
 * The `DatafoldDataDiffs` service from explicit options; needs an `HttpClient`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "effect/http"
 * import { Layer, Redacted } from "effect"
 * import { dataDiffsLayer } from "effect-datafold/effect4"
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
): Layer.Layer<DatafoldDataDiffs, Config.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DatafoldDataDiffs, makeDataDiffs(options))

/**
 * The `DatafoldDataDiffs` service with its options read from `Config` (by default the
 * environment, as {@link clientLayerConfig}); needs an `HttpClient`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "effect/http"
 * import { Layer } from "effect"
 * import { dataDiffsLayerConfig } from "effect-datafold/effect4"
 *
 * const DataDiffsLive = dataDiffsLayerConfig().pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const dataDiffsLayerConfig = (
  config: Config.Config<HttpClientOptions> = fromEnv
): Layer.Layer<DatafoldDataDiffs, Config.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DatafoldDataDiffs, Effect.flatMap(readConfig(config), makeDataDiffs))
