/**
 * A local Datafold-compatible server, derived from the same `DatafoldApi` definition as
 * the client, for tests, examples and the demo. It listens on an ephemeral loopback port,
 * checks `Authorization: Key <key>`, validates bodies with FastAPI-shaped 422 answers,
 * records every request, and can be told to fail in each way a real service fails.
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
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import type { ApiCiDiff } from "../CiDiff.ts"
import { CiRun } from "../CiRun.ts"
import { ApiKeyAuth, CiConfigNotFound, DatafoldApi, Forbidden, NotAuthenticated } from "../DatafoldApi.ts"
import type { DatafoldClientOptions } from "../DatafoldConfig.ts"
import { DatafoldClient } from "../DatafoldClient.ts"
import * as FetchTransport from "../internal/fetchTransport.ts"
import type { ApiPrDetails } from "../PrDetails.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import { fastApiProblems } from "./fastApiValidation.ts"
import type { Fault } from "./Fault.ts"

/**
 * A request as the server received it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  readonly method: string
  /** Path and query, e.g. `/api/v1/ci/7/trigger`. */
  readonly url: string
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Which endpoint the path names: `trigger`, `runs`, `upload` or `other`. */
  readonly endpoint: Endpoint
}

/**
 * The endpoints faults can be aimed at.
 *
 * @since 0.1.0
 * @category models
 */
export type Endpoint = "trigger" | "runs" | "upload" | "other"

/**
 * Diffs the server accepted for a run ("upload PR/MR changes").
 *
 * @since 0.1.0
 * @category models
 */
export interface ReceivedUpload {
  readonly ciConfigId: number
  readonly prNumber: number
  /** The run the diffs were attached to. */
  readonly ciRunId: number
  /** As decoded from the wire: `pk` null and column lists `[]` when left out. */
  readonly diffs: ReadonlyArray<ApiCiDiff>
}

/**
 * One answered request, as {@link LocalDatafoldServerOptions.onRequest} reports it. It
 * holds no header, so never the key.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestLogEntry {
  readonly method: string
  /** Path and query. */
  readonly url: string
  readonly endpoint: Endpoint
  /** The status sent, or `null` when the connection was closed without an answer. */
  readonly status: number | null
  /** The injected fault that shaped the answer, if any. */
  readonly fault: Fault["_tag"] | null
}

/**
 * Options for {@link startLocalDatafoldServer}.
 *
 * @since 0.1.0
 * @category models
 */
export interface LocalDatafoldServerOptions {
  /** The key the server accepts; default a fresh random test key. */
  readonly apiKey?: string | undefined
  /** CI config ids that exist; any other answers 404. Default: every id exists. */
  readonly ciConfigIds?: ReadonlyArray<number> | undefined
  /** The loopback port; default 0, an ephemeral port. */
  readonly port?: number | undefined
  /**
   * Accept any `Key <key>` rather than only `apiKey` (a missing header is still 401).
   * For trying a client offline with whatever key it has.
   */
  readonly acceptAnyKey?: boolean | undefined
  /** Called once per request, when it has been answered (or dropped). */
  readonly onRequest?: ((entry: RequestLogEntry) => void) | undefined
}

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

interface State {
  readonly apiKey: string
  readonly acceptAnyKey: boolean
  readonly ciConfigIds: ReadonlySet<number> | undefined
  requests: Array<RecordedRequest>
  runs: Array<CiRun & { readonly ciConfigId: number }>
  uploads: Array<ReceivedUpload>
  faults: Array<{ readonly fault: Fault; readonly endpoint: Endpoint }>
  nextId: number
  /** Bumped by `reset()`, so a request still delayed from before it changes nothing after. */
  generation: number
}

const endpointOf = (method: string, url: string): Endpoint =>
  /^\/api\/v1\/ci\/[^/]+\/trigger(?:\?|$)/.test(url)
    ? "trigger"
    : /^\/api\/v1\/ci\/[^/]+\/runs(?:\?|$)/.test(url)
    ? "runs"
    : method === "POST" && /^\/api\/v1\/ci\/[^/]+\/[^/?]+(?:\?|$)/.test(url)
    ? "upload"
    : "other"

const issueToFastApi = (
  issue: { readonly _tag: string; readonly path: ReadonlyArray<PropertyKey>; readonly message: string }
) => ({
  type: issue._tag === "Missing" ? "missing" : issue._tag === "Unexpected" ? "extra_forbidden" : "invalid",
  loc: ["body", ...issue.path.map((key) => (typeof key === "number" ? key : String(key)))],
  msg: issue._tag === "Missing" ? "Field required" : issue.message
})

const jsonInvalidBody = JSON.stringify({
  detail: [{ type: "json_invalid", loc: ["body", 0], msg: "JSON decode error" }]
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
          const items = fastApiProblems(request.method, request.url, text)
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

const apiLayer = (state: State) => {
  const auth = Layer.succeed(
    ApiKeyAuth,
    ApiKeyAuth.of({
      ApiKeyAuth: (header) => {
        const value = Redacted.value(header)
        if (value === "") return Effect.fail(new NotAuthenticated({ detail: "Not authenticated" }))
        const accepted = state.acceptAnyKey ? /^Key \S/.test(value) : value === `Key ${state.apiKey}`
        if (!accepted) return Effect.fail(new Forbidden({ detail: "Invalid API key" }))
        return Effect.void
      }
    })
  )
  const knownConfig = (id: number) =>
    state.ciConfigIds === undefined || state.ciConfigIds.has(id)
      ? Effect.void
      : Effect.fail(new CiConfigNotFound({ detail: "Not Found" }))
  const ci = HttpApiBuilder.group(DatafoldApi, "CI", (handlers) =>
    handlers
      .handle("trigger", ({ path, payload }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.sync(() => createRun(state, path.ci_config_id, payload))
        ))
      .handle("listRuns", ({ path, urlParams }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.sync(() =>
            state.runs
              .filter((run) =>
                run.ciConfigId === path.ci_config_id &&
                (urlParams.pr_sha === undefined || run.pr_sha === urlParams.pr_sha) &&
                (urlParams.pr_num === undefined || run.pr_num === urlParams.pr_num)
              )
              .slice(urlParams.offset ?? 0, (urlParams.offset ?? 0) + (urlParams.limit ?? 100))
              .map(({ ciConfigId: _, ...run }) => new CiRun(run))
          )
        ))
      .handle("upload", ({ path, payload }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.suspend(() => {
            const job = attachDiffs(state, path.ci_config_id, path.pr_num, payload)
            if (job !== undefined) return Effect.succeed(job)
            // Datafold does not document this answer, so it stays out of the API definition;
            // the builder sends a response that a handler returns as it is.
            const noRun = HttpServerResponse.unsafeJson(
              { detail: `No CI run is waiting for PR #${path.pr_num}: trigger one first` },
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

const createRun = (state: State, ciConfigId: number, details: ApiPrDetails): SubmitCiJob => {
  const id = state.nextId++
  state.runs.push(
    Object.assign(
      new CiRun({
        id,
        base_branch: details.base_branch,
        base_sha: details.base_sha,
        pr_branch: details.pr_branch,
        pr_sha: details.pr_sha,
        pr_num: String(details.pr_number),
        status: "pending",
        source: "api"
      }),
      { ciConfigId }
    )
  )
  return new SubmitCiJob({ ci_run_id: id, run_id: id + 100_000 })
}

/**
 * Attaches diffs to the newest run of the pull request that still waits for them (status
 * `pending`), which then starts (`running`). `undefined` when no run is waiting: the
 * real service's answer then is not documented; this server says 404 and why.
 */
const attachDiffs = (
  state: State,
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<ApiCiDiff>
): SubmitCiJob | undefined => {
  let index = state.runs.length - 1
  for (; index >= 0; index--) {
    const candidate = state.runs[index]
    if (
      candidate?.ciConfigId === ciConfigId && candidate.pr_num === String(prNumber) && candidate.status === "pending"
    ) {
      break
    }
  }
  const run = state.runs[index]
  if (run === undefined) return undefined
  state.runs[index] = Object.assign(new CiRun({ ...run, status: "running" }), { ciConfigId })
  state.uploads.push({ ciConfigId, prNumber, ciRunId: run.id, diffs })
  return new SubmitCiJob({ ci_run_id: run.id, run_id: run.id + 100_000 })
}

const readBody = (request: http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks)))
    request.on("error", reject)
  })

const hardClose = (socket: import("node:net").Socket): void => {
  // A TCP reset where the runtime offers it (Node), else a plain close (other runtimes).
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy()
  else socket.destroy()
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
  const state: State = {
    apiKey: options.apiKey ?? `dfk_test_${crypto.randomUUID().replaceAll("-", "")}`,
    acceptAnyKey: options.acceptAnyKey ?? false,
    ciConfigIds: options.ciConfigIds === undefined ? undefined : new Set(options.ciConfigIds),
    requests: [],
    runs: [],
    uploads: [],
    faults: [],
    nextId: 1,
    generation: 0
  }
  const web = HttpApiBuilder.toWebHandler(apiLayer(state))
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const delay = (millis: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, millis)
      timers.add(timer)
    })

  const server = http.createServer(async (request, response) => {
    try {
      const generation = state.generation
      const body = await readBody(request)
      const url = request.url ?? "/"
      const method = request.method ?? "GET"
      const endpoint = endpointOf(method, url)
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
      }
      state.requests.push({ method, url, headers, body: body.toString("utf8"), endpoint })
      const index = state.faults.findIndex((entry) => entry.endpoint === endpoint)
      const fault = index === -1 ? undefined : state.faults.splice(index, 1)[0]?.fault
      if (options.onRequest !== undefined) {
        const report = options.onRequest
        // "close" fires once the answer is sent or the connection is cut, whichever happens.
        response.once("close", () =>
          report({
            method,
            url,
            endpoint,
            status: response.headersSent && response.writableFinished ? response.statusCode : null,
            fault: fault?._tag ?? null
          }))
      }

      switch (fault?._tag) {
        case "Respond":
          response.writeHead(fault.status, fault.headers).end(fault.body)
          return
        case "Drop":
          hardClose(request.socket)
          return
        case "Delay":
          // The run is created after the delay even if the client has gone, as a slow
          // Datafold would; but not into the state of a test that has reset since.
          await delay(fault.millis)
          if (state.generation !== generation) {
            hardClose(request.socket)
            return
          }
          break
      }
      const answer = await web.handler(
        new Request(`http://127.0.0.1${url}`, {
          method: request.method ?? "GET",
          headers,
          ...(request.method === "GET" || request.method === "HEAD" ? {} : { body: new Uint8Array(body) })
        })
      )
      // A body that is not JSON at all never reaches the API middleware: the platform
      // answers an empty 400 itself. FastAPI says 422 json_invalid; so does this server.
      if (answer.status === 400) {
        response.writeHead(422, { "content-type": "application/json" }).end(jsonInvalidBody)
        return
      }
      const payload = Buffer.from(await answer.arrayBuffer())
      if (fault?._tag === "LoseAnswer") {
        hardClose(request.socket)
        return
      }
      if (fault?._tag === "ResetMidBody") {
        response.writeHead(200, { "content-type": "application/json", "content-length": String(payload.length + 64) })
        response.write(
          payload.subarray(0, Math.max(1, Math.floor(payload.length / 2))),
          () => hardClose(request.socket)
        )
        return
      }
      response.writeHead(answer.status, Object.fromEntries(answer.headers)).end(payload)
    } catch (error) {
      if (!response.headersSent) {
        response.writeHead(500, { "content-type": "application/json" }).end(
          JSON.stringify({ detail: `local server error: ${String(error)}` })
        )
      }
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey: Redacted.make(state.apiKey),
    requests: () => [...state.requests],
    runs: () => state.runs.map(({ ciConfigId: _, ...run }) => new CiRun(run)),
    uploads: () => [...state.uploads],
    inject: (fault, { endpoint = "trigger", times = 1 } = {}) => {
      for (let i = 0; i < times; i++) state.faults.push({ fault, endpoint })
    },
    reset: () => {
      state.requests = []
      state.runs = []
      state.uploads = []
      state.faults = []
      state.nextId = 1
      state.generation += 1
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections?.()
      })
      await web.dispose()
    }
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
