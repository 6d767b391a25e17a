/**
 * The options of the client and the data-diffs service over an `HttpClient` of your own
 * (Effect 4's, from `effect/http`: `clientLayer`, `dataDiffsLayer` …), as the Effect 3
 * entry has them in `effect-datafold/api`.
 *
 * @since 0.3.0
 */
import type * as HttpClient from "effect/http/HttpClient"
import type { DatafoldClientOptions } from "./DatafoldConfig.ts"

/**
 * The options of a client over an `HttpClient`: those of `DatafoldClientOptions`, and a hook
 * to adapt the `HttpClient` the requests go through.
 *
 * @example
 * ```ts
 * import { Layer, Redacted } from "effect"
 * import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
 * import { clientLayer, type HttpClientOptions } from "effect-datafold/effect4"
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
