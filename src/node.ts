/**
 * The Node transport: an `HttpClient` on undici's connection pool, the fastest way to call
 * Datafold from Node (faster than a hand-written `fetch` call; see the README's
 * Performance section). Needs the `undici` package (an optional peer dependency).
 *
 * ```ts
 * import { DatafoldClient } from "effect-datafold"
 * import * as DatafoldNode from "effect-datafold/node"
 *
 * program.pipe(Effect.provide(DatafoldNode.Default)) // or:
 * program.pipe(Effect.provide(DatafoldClient.layer(options).pipe(Layer.provide(DatafoldNode.layer))))
 * ```
 *
 * @since 0.2.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type { Dispatcher } from "undici"
import { DatafoldClient } from "./DatafoldClient.ts"
import { undiciClient } from "./internal/undiciTransport.ts"

/**
 * An `HttpClient` on a given undici `Dispatcher` (an `Agent`, a `Pool`, a `ProxyAgent`):
 * the caller owns the dispatcher and closes it.
 *
 * @since 0.2.0
 * @category layers
 */
export const layerDispatcher = (dispatcher: Dispatcher): Layer.Layer<HttpClient.HttpClient> =>
  Layer.succeed(HttpClient.HttpClient, undiciClient(dispatcher))

/**
 * A new undici `Agent`. undici installs its own agent as the global one behind Node's
 * `fetch` when it loads before `fetch` was first used; so Node's `fetch` is made to pin
 * its own first (a `data:` URL, no network), and the package is loaded only when a
 * layer is built: importing this module changes nothing.
 */
const newAgent = async (): Promise<Dispatcher> => {
  await (await fetch("data:,")).arrayBuffer()
  const undici = await import("undici").catch((cause: unknown) => {
    throw new Error("effect-datafold/node needs the undici package (an optional peer): npm install undici@^7", {
      cause
    })
  })
  return new undici.Agent()
}

/**
 * An `HttpClient` on an undici `Agent` of its own, created with the layer and closed
 * (its connections ended) when the layer's scope closes. Redirects are not followed.
 *
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(
      Effect.promise(newAgent),
      (agent) => Effect.promise(() => agent.close())
    ),
    undiciClient
  )
)

/**
 * `DatafoldClient.layerConfig()` (the environment's settings) on {@link layer}: the Node
 * counterpart of `DatafoldClient.Default`, needing nothing.
 *
 * @since 0.2.0
 * @category layers
 */
export const Default: Layer.Layer<DatafoldClient, ConfigError.ConfigError> = Layer.provide(
  DatafoldClient.layerConfig(),
  layer
)
