/**
 * A local Datafold-compatible server, derived from the same `DatafoldApi` definition as
 * the client, for tests, examples and the demo. It listens on an ephemeral loopback port,
 * checks `Authorization: Key <key>`, validates bodies with FastAPI-shaped 422 answers,
 * records every request, and can be told to fail in each way a real service fails.
 * Listening, recording and faults are the shared front door (`frontDoor.ts`, also behind
 * the Effect 4 server); the API behind it is built here from `DatafoldApi`.
 *
 * @since 0.1.0
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { CiRun } from "../CiRun.ts"
import { ApiKeyAuth, CiConfigNotFound, DatafoldApi, Forbidden, NotAuthenticated } from "../DatafoldApi.ts"
import type { DatafoldClientOptions } from "../DatafoldConfig.ts"
import { DatafoldClient } from "../DatafoldClient.ts"
import * as FetchTransport from "../internal/fetchTransport.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import { fastApiProblems } from "./fastApiValidation.ts"
import type { Fault } from "./Fault.ts"
import { jsonInvalidBody, type LocalDatafoldServerOptions, startFrontDoor } from "./frontDoor.ts"
import {
  attachDiffs,
  checkAuthorization,
  createRun,
  type Endpoint,
  isKnownConfig,
  listRuns,
  noRunWaitingDetail,
  type ReceivedUpload,
  type RecordedRequest,
  type ServerState
} from "./serverState.ts"

export type { LocalDatafoldServerOptions, RequestLogEntry } from "./frontDoor.ts"
export type { Endpoint, ReceivedUpload, RecordedRequest } from "./serverState.ts"

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
   * Answer the next `times` requests to `endpoint` (default: the next trigger) with a
   * fault instead of normally. Faults queue in the order given.
   */
  readonly inject: (fault: Fault, options?: { readonly times?: number; readonly endpoint?: Endpoint }) => void
  /** Forget requests, runs and pending faults. */
  readonly reset: () => void
  /** Stop listening and close every connection. */
  readonly close: () => Promise<void>
}

const issueToFastApi = (
  issue: { readonly _tag: string; readonly path: ReadonlyArray<PropertyKey>; readonly message: string }
) => ({
  type: issue._tag === "Missing" ? "missing" : issue._tag === "Unexpected" ? "extra_forbidden" : "invalid",
  loc: ["body", ...issue.path.map((key) => (typeof key === "number" ? key : String(key)))],
  msg: issue._tag === "Missing" ? "Field required" : issue.message
})

const jsonInvalid = () => HttpServerResponse.text(jsonInvalidBody, { status: 422, contentType: "application/json" })

/**
 * FastAPI answers a request it cannot decode with 422, not 400, listing every problem in
 * path, query and body: do the same. The platform stops at the first part that fails,
 * so the whole request is checked again here to report them all, FastAPI's way.
 */
const fastApiValidation = HttpApiBuilder.middleware((app) =>
  app.pipe(
    Effect.catchAllCause((cause) => {
      const failure = Option.getOrUndefined(Cause.failureOption(cause)) as { readonly _tag?: string } | undefined
      if (failure?._tag === "HttpApiDecodeError") {
        const decodeError = failure as HttpApiError.HttpApiDecodeError
        return Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const text = request.method === "GET" ? "" : yield* Effect.orElseSucceed(request.text, () => "")
          const items = fastApiProblems(request.method, request.url, text, request.headers["content-type"])
          // The platform refused something the FastAPI rules above accept: still answer, its way.
          const detail = items === undefined || items.length === 0 ? decodeError.issues.map(issueToFastApi) : items
          return yield* HttpServerResponse.json({ detail }, { status: 422 })
        }).pipe(Effect.orDie)
      }
      if (failure?._tag === "RequestError") return jsonInvalid()
      return Effect.failCause(cause)
    })
  )
)

const apiLayer = (state: ServerState) => {
  const auth = Layer.succeed(
    ApiKeyAuth,
    ApiKeyAuth.of({
      ApiKeyAuth: (header) => {
        switch (checkAuthorization(state, Redacted.value(header))) {
          case "missing":
            return Effect.fail(new NotAuthenticated({ detail: "Not authenticated" }))
          case "wrong":
            return Effect.fail(new Forbidden({ detail: "Invalid API key" }))
          case "ok":
            return Effect.void
        }
      }
    })
  )
  const knownConfig = (id: number) =>
    isKnownConfig(state, id) ? Effect.void : Effect.fail(new CiConfigNotFound({ detail: "Not Found" }))
  const ci = HttpApiBuilder.group(DatafoldApi, "CI", (handlers) =>
    handlers
      .handle("trigger", ({ path, payload }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.sync(() => new SubmitCiJob(createRun(state, path.ci_config_id, payload)))
        ))
      .handle("listRuns", ({ path, urlParams }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.sync(() => listRuns(state, path.ci_config_id, urlParams).map((run) => new CiRun(run)))
        ))
      .handle("upload", ({ path, payload }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.suspend(() => {
            const job = attachDiffs(state, path.ci_config_id, path.pr_num, payload)
            if (job !== undefined) return Effect.succeed(new SubmitCiJob(job))
            // Datafold does not document this answer, so it stays out of the API definition;
            // the builder sends a response that a handler returns as it is.
            const noRun = HttpServerResponse.unsafeJson(
              { detail: noRunWaitingDetail(path.pr_num) },
              { status: 404 }
            )
            return Effect.succeed(noRun as unknown as SubmitCiJob)
          })
        )))
  return Layer.mergeAll(
    HttpApiBuilder.api(DatafoldApi).pipe(Layer.provide(ci), Layer.provide(auth)),
    fastApiValidation,
    HttpServer.layerContext
  )
}

/**
 * Start a local Datafold server on loopback. Close it with `close()`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const startLocalDatafoldServer = async (
  options: LocalDatafoldServerOptions = {}
): Promise<LocalDatafoldServer> => {
  const door = await startFrontDoor(options, (state) => {
    const web = HttpApiBuilder.toWebHandler(apiLayer(state))
    return { handle: (request) => web.handler(request), dispose: () => web.dispose() }
  })
  return {
    ...door,
    apiKey: Redacted.make(door.apiKey),
    runs: () => door.runs().map((run) => new CiRun(run))
  }
}

/**
 * {@link startLocalDatafoldServer} as a scoped `Effect`: the server closes with the scope.
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
 * @since 0.1.0
 * @category layers
 */
export const clientLayerFor = (
  server: LocalDatafoldServer,
  options: Omit<DatafoldClientOptions, "apiKey" | "host"> = {},
  transport: Layer.Layer<HttpClient.HttpClient> = FetchTransport.layer
): Layer.Layer<DatafoldClient, ConfigError.ConfigError> =>
  DatafoldClient.layer({ ...options, apiKey: server.apiKey, host: server.url }).pipe(
    Layer.provide(transport)
  )
