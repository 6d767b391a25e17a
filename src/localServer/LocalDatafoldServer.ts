/**
 * A local Datafold-compatible server, derived from the same `DatafoldApi` definition as
 * the client, for tests, examples and the demo. It listens on an ephemeral loopback port,
 * checks `Authorization: Key <key>`, validates bodies with FastAPI-shaped 422 answers,
 * records every request, and can be told to fail in each way a real service fails.
 * Listening, recording and faults are the shared front door (`frontDoor.ts`, also behind
 * the Effect 4 server); the API behind it is built from `DatafoldApi`
 * (`declarativeApiHandler.ts`), loaded when a server starts, since it needs
 * `@effect/platform`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { CiRun } from "../CiRun.ts"
import { clientLayer, dataDiffsLayer } from "../DatafoldHttpClient.ts"
import type { HttpClientOptions } from "../HttpClientOptions.ts"
import { DatafoldClient } from "../DatafoldClient.ts"
import { DatafoldDataDiffs } from "../DataDiffs.ts"
import { makeDataDiffsService } from "../internal/dataDiffsService.ts"
import { resolveOptions } from "../DatafoldConfig.ts"
import { fetchSend } from "../internal/fetchWire.ts"
import { loadWithPlatform } from "../internal/optionalPeer.ts"
import { clientOnWire } from "../internal/wireClient.ts"
import type { Fault } from "./Fault.ts"
import { type LocalDatafoldServerOptions, startFrontDoor } from "./frontDoor.ts"
import type { Endpoint, ReceivedDbtUpload, ReceivedUpload, RecordedRequest } from "./serverState.ts"

export type {
  /**
   * The server's options (the key, the CI config ids that exist, the port, an `onRequest` hook).
   *
   * @since 0.1.0
   * @category models
   */
  LocalDatafoldServerOptions,
  /**
   * One answered request, as `onRequest` reports it.
   *
   * @since 0.1.0
   * @category models
   */
  RequestLogEntry
} from "./frontDoor.ts"
export type {
  /**
   * One file listed in an uploaded archive of dbt artifacts.
   *
   * @since 0.2.0
   * @category models
   */
  DbtArchiveEntry,
  /**
   * The PR facts a run created by a `pull_request` dbt upload gets.
   *
   * @since 0.2.0
   * @category models
   */
  DbtPullRequest,
  /**
   * The two kinds of dbt build whose artifacts are uploaded: `production` and `pull_request`.
   *
   * @since 0.2.0
   * @category models
   */
  DbtRunType,
  /**
   * The endpoints faults can be aimed at.
   *
   * @since 0.1.0
   * @category models
   */
  Endpoint,
  /**
   * A run of another commit or PR that every listing returns beside the stored runs
   * (`foreignRuns`).
   *
   * @since 0.2.0
   * @category models
   */
  ForeignRun,
  /**
   * dbt artifacts the server accepted.
   *
   * @since 0.2.0
   * @category models
   */
  ReceivedDbtUpload,
  /**
   * Diffs the server accepted for a run.
   *
   * @since 0.1.0
   * @category models
   */
  ReceivedUpload,
  /**
   * A request as the server received it.
   *
   * @since 0.1.0
   * @category models
   */
  RecordedRequest
} from "./serverState.ts"
export type {
  /**
   * How the local server's data diffs behave.
   *
   * @since 0.3.0
   * @category models
   */
  LocalDataDiffOptions,
  /**
   * What a local diff comes to once finished.
   *
   * @since 0.3.0
   * @category models
   */
  LocalDataDiffOutcome,
  /**
   * One diff a run gets.
   *
   * @since 0.3.0
   * @category models
   */
  LocalDataDiffPlan
} from "./dataDiffs.ts"

/**
 * A running local Datafold server.
 *
 * @since 0.1.0
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
 * import { triggerCiRun } from "effect-datafold"
 * import { clientLayerFor, startLocalDatafoldServer } from "effect-datafold/testing"
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
 * @since 0.1.0
 * @category constructors
 */
export const startLocalDatafoldServer = async (
  options: LocalDatafoldServerOptions = {}
): Promise<LocalDatafoldServer> => {
  const { declarativeApiHandler } = await loadWithPlatform(
    "effect-datafold/testing's local server",
    () => import("./declarativeApiHandler.ts")
  )
  const door = await startFrontDoor(options, declarativeApiHandler)
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
 * import { listCiRuns } from "effect-datafold"
 * import { clientLayerFor, makeLocalDatafoldServer } from "effect-datafold/testing"
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
 * @since 0.1.0
 * @category constructors
 */
export const makeLocalDatafoldServer = (
  options?: LocalDatafoldServerOptions
): Effect.Effect<LocalDatafoldServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => startLocalDatafoldServer(options)),
    (server) => Effect.promise(() => server.close())
  )

/**
 * A `DatafoldClient` layer pointed at a local server, with its key and, unless another
 * `HttpClient` layer is given, the portable `fetch` transport of `DatafoldClient.Default`.
 * Extra options (timeouts, retries) override the defaults.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { triggerCiRun } from "effect-datafold"
 * import { clientLayerFor, Fault, makeLocalDatafoldServer } from "effect-datafold/testing"
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
 * @since 0.1.0
 * @category layers
 */
export const clientLayerFor = (
  server: LocalDatafoldServer,
  options: Omit<HttpClientOptions, "apiKey" | "host"> = {},
  transport?: Layer.Layer<HttpClient.HttpClient>
): Layer.Layer<DatafoldClient, ConfigError.ConfigError> => {
  const settings: HttpClientOptions = { ...options, apiKey: server.apiKey, host: server.url }
  return transport === undefined
    ? Layer.effect(DatafoldClient, clientOnWire(Config.succeed(settings), Effect.succeed(fetchSend)))
    : clientLayer(settings).pipe(Layer.provide(transport))
}

/**
 * A `DatafoldDataDiffs` layer pointed at a local server, with its key and, unless
 * another `HttpClient` layer is given, the portable `fetch` transport.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { organizationMeta } from "effect-datafold"
 * import { dataDiffsLayerFor, makeLocalDatafoldServer } from "effect-datafold/testing"
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
  options: Omit<HttpClientOptions, "apiKey" | "host"> = {},
  transport?: Layer.Layer<HttpClient.HttpClient>
): Layer.Layer<DatafoldDataDiffs, ConfigError.ConfigError> => {
  const settings: HttpClientOptions = { ...options, apiKey: server.apiKey, host: server.url }
  return transport === undefined
    ? Layer.effect(
      DatafoldDataDiffs,
      Effect.map(resolveOptions(settings), (resolved) =>
        makeDataDiffsService(resolved, { _tag: "Wire", wire: fetchSend }))
    )
    : dataDiffsLayer(settings).pipe(Layer.provide(transport))
}
