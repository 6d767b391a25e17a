/**
 * The Node transport: the client on undici's connection pool, the fastest way to call
 * Datafold from Node (faster than a hand-written `fetch` call; see the README's
 * Performance section). Needs the `undici` package (an optional peer dependency);
 * `Default` needs nothing else, while the `HttpClient` layers need `@effect/platform` (and
 * go under `effect-datafold/api`'s `clientLayer`).
 *
 * ```ts
 * import { clientLayer } from "effect-datafold/api"
 * import * as DatafoldNode from "effect-datafold/node"
 *
 * program.pipe(Effect.provide(DatafoldNode.Default)) // or:
 * program.pipe(Effect.provide(clientLayer(options).pipe(Layer.provide(DatafoldNode.layer))))
 * ```
 *
 * @since 0.2.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type { Dispatcher } from "undici"
import { DatafoldClient } from "./DatafoldClient.ts"
import { fromEnv } from "./DatafoldConfig.ts"
import { loadWithPlatform } from "./internal/optionalPeer.ts"
import { undiciSend } from "./internal/undiciWire.ts"
import { clientOnWire } from "./internal/wireClient.ts"

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

/** An agent of its own, closed (its connections ended) with the scope. */
const scopedAgent: Effect.Effect<Dispatcher, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(newAgent),
  (agent) => Effect.promise(() => agent.close())
)

/** The `HttpClient` side of the transport, which needs `@effect/platform`: loaded when a layer is built. */
const httpClientLayers = Effect.promise(() =>
  loadWithPlatform("effect-datafold/node's HttpClient layers", () => import("./internal/undiciTransport.ts"))
)

/**
 * An `HttpClient` on a given undici `Dispatcher` (an `Agent`, a `Pool`, a `ProxyAgent`):
 * the caller owns the dispatcher and closes it.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { listCiRuns } from "effect-datafold"
 * import { clientLayerConfig } from "effect-datafold/api"
 * import * as DatafoldNode from "effect-datafold/node"
 * import { ProxyAgent } from "undici"
 *
 * // Through a proxy: the dispatcher is yours, so you close it
 * const proxy = new ProxyAgent("http://proxy.internal:3128")
 * const DatafoldLive = clientLayerConfig().pipe(Layer.provide(DatafoldNode.layerDispatcher(proxy)))
 *
 * const runs = await Effect.runPromise(
 *   listCiRuns(1234).pipe(Effect.provide(DatafoldLive), Effect.ensuring(Effect.promise(() => proxy.close())))
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerDispatcher = (dispatcher: Dispatcher): Layer.Layer<HttpClient.HttpClient> =>
  Layer.unwrapEffect(Effect.map(httpClientLayers, (m) => m.undiciClientLayer(Effect.succeed(dispatcher))))

/**
 * An `HttpClient` on an undici `Agent` of its own, created with the layer and closed
 * (its connections ended) when the layer's scope closes. Redirects are not followed.
 *
 * @example
 * ```ts
 * import { Effect, Layer, Redacted } from "effect"
 * import { listCiRuns } from "effect-datafold"
 * import { clientLayer } from "effect-datafold/api"
 * import * as DatafoldNode from "effect-datafold/node"
 *
 * const DatafoldLive = clientLayer({ apiKey: Redacted.make(process.env.MY_DATAFOLD_KEY ?? "") }).pipe(
 *   Layer.provide(DatafoldNode.layer)
 * )
 *
 * const runs = await Effect.runPromise(listCiRuns(1234).pipe(Effect.provide(DatafoldLive)))
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.unwrapEffect(
  Effect.map(httpClientLayers, (m) => m.undiciClientLayer(scopedAgent))
)

/**
 * The client from the environment's settings (as `DatafoldClient.Default`) on an
 * undici `Agent` of its own, closed with the layer: the Node counterpart of
 * `DatafoldClient.Default`, needing nothing but undici (`@effect/platform` included).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { triggerCiRun } from "effect-datafold"
 * import * as DatafoldNode from "effect-datafold/node"
 *
 * // As DatafoldClient.Default (the settings from the environment), on undici's connection pool
 * const job = await Effect.runPromise(
 *   triggerCiRun(1234, {
 *     pr_number: 42,
 *     pr_branch: "feature/orders-rollup",
 *     base_branch: "main",
 *     pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *     base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 *   }).pipe(Effect.provide(DatafoldNode.Default))
 * )
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const Default: Layer.Layer<DatafoldClient, ConfigError.ConfigError> = Layer.scoped(
  DatafoldClient,
  clientOnWire(fromEnv, Effect.map(scopedAgent, undiciSend))
)
