/**
 * The local Datafold-compatible server for Effect 4 programs: the same server as
 * `effect-datafold/testing` (the shared front door: loopback, `Authorization: Key <key>`,
 * FastAPI-shaped 422s, recording, faults, `onRequest`, `reset()`), with its key as an
 * Effect 4 `Redacted` and its lifetime as an Effect 4 scope or layer.
 *
 * @since 0.2.0
 */
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import type { Fault } from "../../localServer/Fault.ts"
import { type LocalDatafoldServerOptions, startFrontDoor } from "../../localServer/frontDoor.ts"
import { plainApiHandler } from "../../localServer/plainApi.ts"
import type { Endpoint, ReceivedDbtUpload, ReceivedUpload, RecordedRequest } from "../../localServer/serverState.ts"
import { CiRun } from "../CiRun.ts"
import { DatafoldClient } from "../DatafoldClient.ts"
import { DatafoldDataDiffs } from "../DataDiffs.ts"
import { clientLayer, dataDiffsLayer } from "../DatafoldHttpClient.ts"
import type { HttpClientOptions } from "../HttpClientOptions.ts"

/**
 * A running local Datafold server.
 *
 * @since 0.2.0
 * @category models
 */
export interface LocalDatafoldServer {
  /** Base URL, e.g. `http://127.0.0.1:43127`: use it as `DATAFOLD_HOST`. */
  readonly url: string
  /** The key it accepts. A test key, never a real one. */
  readonly apiKey: Redacted.Redacted<string>
  /** Every request received, in order, faults included. */
  readonly requests: () => ReadonlyArray<RecordedRequest>
  /** Every run the server created, in order. */
  readonly runs: () => ReadonlyArray<CiRun>
  /** Every upload of diffs the server accepted, in order. */
  readonly uploads: () => ReadonlyArray<ReceivedUpload>
  /**
   * Every upload of dbt artifacts the server accepted, in order, with the archive as
   * received and the entries it lists (`@since 0.2.0`).
   */
  readonly dbtUploads: () => ReadonlyArray<ReceivedDbtUpload>
  /** Every data diff the server holds, as `GET /api/v1/datadiffs/{id}` shows it now (`@since 0.3.0`). */
  readonly dataDiffs: () => ReadonlyArray<Readonly<Record<string, unknown>>>
  /**
   * Answer the next `times` requests to `endpoint` (default: the next trigger) with a
   * fault instead of normally. Faults queue in the order given.
   */
  readonly inject: (fault: Fault, options?: { readonly times?: number; readonly endpoint?: Endpoint }) => void
  /** Forget requests, runs, uploads and pending faults. */
  readonly reset: () => void
  /** Stop listening and close every connection. */
  readonly close: () => Promise<void>
}

/**
 * Start a local Datafold server on loopback. Close it with `close()`.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { triggerCiRun } from "effect-datafold/effect4"
 * import { clientLayerFor, startLocalDatafoldServer } from "effect-datafold/effect4/testing"
 *
 * const server = await startLocalDatafoldServer({ ciConfigIds: [1234] })
 * try {
 *   const job = await Effect.runPromise(
 *     triggerCiRun(1234, {
 *       pr_number: 42,
 *       pr_branch: "feature/orders-rollup",
 *       base_branch: "main",
 *       pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *       base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 *     }).pipe(Effect.provide(clientLayerFor(server)))
 *   )
 *   console.log(job.ci_run_id, server.runs().length) // the run's id, 1
 * } finally {
 *   await server.close()
 * }
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const startLocalDatafoldServer = async (
  options: LocalDatafoldServerOptions = {}
): Promise<LocalDatafoldServer> => {
  const door = await startFrontDoor(options, plainApiHandler)
  return {
    ...door,
    apiKey: Redacted.make(door.apiKey),
    runs: () => door.runs().map((run) => new CiRun(run))
  }
}

/**
 * {@link startLocalDatafoldServer} as a scoped `Effect`: the server closes with the scope.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { listCiRuns } from "effect-datafold/effect4"
 * import { clientLayerFor, makeLocalDatafoldServer } from "effect-datafold/effect4/testing"
 *
 * // The server lives as long as the scope
 * const program = Effect.gen(function* () {
 *   const server = yield* makeLocalDatafoldServer()
 *   const runs = yield* listCiRuns(1234).pipe(Effect.provide(clientLayerFor(server)))
 *   console.log(runs.length, server.requests().length) // 0 1
 * })
 *
 * await Effect.runPromise(Effect.scoped(program))
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const makeLocalDatafoldServer = (
  options?: LocalDatafoldServerOptions
): Effect.Effect<LocalDatafoldServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => startLocalDatafoldServer(options)),
    (server) => Effect.promise(() => server.close())
  )

// Typed out so that the published declarations (and JSR's fast types) need no inference.
const LocalDatafoldBase: Context.ServiceClass<
  LocalDatafold,
  "effect-datafold/testing/LocalDatafold",
  LocalDatafoldServer
> = Context.Service<LocalDatafold, LocalDatafoldServer>()("effect-datafold/testing/LocalDatafold")

/**
 * The local server as a service: `yield* LocalDatafold` in a program (or a test) given
 * {@link LocalDatafold.layer}, which starts the server and closes it with the layer.
 *
 * @example
 * ```ts
 * import { Effect, Layer } from "effect"
 * import { DatafoldClient, triggerCiRun } from "effect-datafold/effect4"
 * import { clientLayerFor, Fault, LocalDatafold } from "effect-datafold/effect4/testing"
 *
 * // A program under test, given a client on the local server
 * const program = Effect.gen(function* () {
 *   const server = yield* LocalDatafold
 *   server.inject(Fault.serverError(503))
 *   yield* triggerCiRun(1234, {
 *     pr_number: 42,
 *     pr_branch: "feature/orders-rollup",
 *     base_branch: "main",
 *     pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *     base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 *   })
 *   console.log(server.requests().length) // 2: the 503, then the retry
 * })
 *
 * const ClientLive = Layer.unwrap(
 *   Effect.gen(function* () {
 *     return clientLayerFor(yield* LocalDatafold, { retryBase: "10 millis" })
 *   })
 * )
 * const TestLive = ClientLive.pipe(Layer.provideMerge(LocalDatafold.layer()))
 * await Effect.runPromise(program.pipe(Effect.provide(TestLive)))
 * ```
 *
 * @since 0.2.0
 * @category services
 */
export class LocalDatafold extends LocalDatafoldBase {
  /**
   * A layer that starts a local server for its lifetime.
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { LocalDatafold } from "effect-datafold/effect4/testing"
   *
   * const program = Effect.gen(function* () {
   *   const server = yield* LocalDatafold
   *   console.log(server.url) // http://127.0.0.1:<port>, closed with the layer
   * })
   *
   * await Effect.runPromise(program.pipe(Effect.provide(LocalDatafold.layer({ acceptAnyKey: true }))))
   * ```
   *
   * @since 0.2.0
   */
  static readonly layer = (options?: LocalDatafoldServerOptions): Layer.Layer<LocalDatafold> =>
    Layer.effect(LocalDatafold, makeLocalDatafoldServer(options))
}

/**
 * A `DatafoldClient` layer pointed at a local server, with its key and Effect 4's `fetch`
 * client. Extra options (timeouts, retries) override the defaults.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { triggerCiRun } from "effect-datafold/effect4"
 * import { clientLayerFor, Fault, makeLocalDatafoldServer } from "effect-datafold/effect4/testing"
 *
 * // Two 503s, then the trigger goes through: the client retried
 * const program = Effect.gen(function* () {
 *   const server = yield* makeLocalDatafoldServer()
 *   server.inject(Fault.serverError(503), { times: 2 })
 *   yield* triggerCiRun(1234, {
 *     pr_number: 42,
 *     pr_branch: "feature/orders-rollup",
 *     base_branch: "main",
 *     pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *     base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 *   }).pipe(
 *     Effect.provide(clientLayerFor(server, { retries: 3, retryBase: "10 millis" }))
 *   )
 *   console.log(server.requests().length) // 3
 * })
 *
 * await Effect.runPromise(Effect.scoped(program))
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const clientLayerFor = (
  server: LocalDatafoldServer,
  options: Omit<HttpClientOptions, "apiKey" | "host"> = {}
): Layer.Layer<DatafoldClient, Config.ConfigError> =>
  clientLayer({ ...options, apiKey: server.apiKey, host: server.url }).pipe(
    Layer.provide(FetchHttpClient.layer)
  )

/**
 * A `DatafoldDataDiffs` layer pointed at a local server, with its key and Effect 4's
 * `fetch` client. Extra options (timeouts, retries) override the defaults.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { organizationMeta } from "effect-datafold/effect4"
 * import { dataDiffsLayerFor, makeLocalDatafoldServer } from "effect-datafold/effect4/testing"
 *
 * const program = Effect.gen(function* () {
 *   const server = yield* makeLocalDatafoldServer({ dataDiffs: { organizationName: "Acme" } })
 *   const meta = yield* organizationMeta().pipe(Effect.provide(dataDiffsLayerFor(server)))
 *   console.log(meta.org_name) // "Acme"
 * })
 *
 * await Effect.runPromise(Effect.scoped(program))
 * ```
 *
 * @since 0.3.0
 * @category layers
 */
export const dataDiffsLayerFor = (
  server: LocalDatafoldServer,
  options: Omit<HttpClientOptions, "apiKey" | "host"> = {}
): Layer.Layer<DatafoldDataDiffs, Config.ConfigError> =>
  dataDiffsLayer({ ...options, apiKey: server.apiKey, host: server.url }).pipe(
    Layer.provide(FetchHttpClient.layer)
  )
