/**
 * The options of the client and the data-diffs service over an `HttpClient` of your own
 * (`effect-datafold/api`'s `clientLayer`, `dataDiffsLayer` …): a module of its own, since it
 * names `@effect/platform`'s `HttpClient`, which the main entry's declarations must not.
 *
 * @since 0.3.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { DatafoldClientOptions } from "./DatafoldConfig.ts"

/**
 * The options of a client over an `HttpClient`: those of `DatafoldClientOptions`, and a hook
 * to adapt the `HttpClient` the requests go through.
 *
 * @example
 * ```ts
 * import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
 * import { Layer, Redacted } from "effect"
 * import { clientLayer, type HttpClientOptions } from "effect-datafold/api"
 *
 * // Every request gets a header of your own, after the key is set
 * const options: HttpClientOptions = {
 *   apiKey: Redacted.make(process.env.MY_DATAFOLD_KEY ?? ""),
 *   transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-team", "data-platform"))
 * }
 * const DatafoldLive = clientLayer(options).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface HttpClientOptions extends DatafoldClientOptions {
  /** A hook to adapt the underlying `HttpClient` (proxies, extra headers, tracing). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}
