/**
 * The local Datafold server's front door, in plain TypeScript over `node:http`: it listens
 * on loopback, reads each body as it streams (so a fault can cut an upload part-way),
 * records every request, plays injected faults, reports each answer, answers dbt's
 * endpoints itself (`dbtApi.ts`), turns an undecodable body into FastAPI's 422, and hands
 * the rest to an API handler. The Effect 3 server (`effect-datafold/testing`) and the
 * Effect 4 one (`effect-datafold/effect4/testing`) each bring their handler; faults,
 * recording, dbt and bookkeeping are shared, so they cannot drift apart.
 *
 * @since 0.2.0
 */
import * as http from "node:http"
import type { AddressInfo, Socket } from "node:net"
import { answerDataDiffs, dataDiffRouteOf } from "./dataDiffsApi.ts"
import { dataDiffAnswer as dataDiffAnswerOf } from "./dataDiffs.ts"
import type { LocalDataDiffOptions, StoredDataDiff } from "./dataDiffs.ts"
import { answerDbt, dbtRouteOf } from "./dbtApi.ts"
import { jsonInvalidBody } from "./fastApiValidation.ts"
import type { Fault } from "./Fault.ts"
import { cutBody, receiveBody, recordedBody } from "./requestBody.ts"
import {
  type DbtPullRequest,
  type Endpoint,
  type ForeignRun,
  makeServerState,
  type ReceivedDbtUpload,
  type ReceivedUpload,
  type RecordedRequest,
  resetState,
  type ServerState,
  type WireCiRun,
  withoutConfig
} from "./serverState.ts"

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
 * Options of the local server.
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
  /**
   * The statuses each run shows in the listings that return it, in turn: the first listing
   * shows the first, the next one the second, and the last one sticks (`["running",
   * "done"]`, `["running", "failed"]`, `["cancelled"]`). For runs made by a trigger and by
   * a dbt upload alike. Default (or `[]`): a triggered run is `pending` until its diffs
   * arrive, then `running`; a dbt run is `running`.
   *
   * @since 0.2.0
   */
  readonly runStatuses?: ReadonlyArray<string> | undefined
  /**
   * The PR facts of the run a `pull_request` dbt upload creates (its `pr_sha` is the
   * upload's `commit_sha`). Default: PR 1, `feature` into `main`, `base_sha` the config's
   * latest `production` upload's commit (40 zeros before there is one).
   *
   * @since 0.2.0
   */
  readonly dbtPullRequest?: DbtPullRequest | undefined
  /**
   * Whether a `pull_request` dbt upload creates a run (default `true`); `false` for a
   * test in which no run ever appears.
   *
   * @since 0.2.0
   */
  readonly createDbtRuns?: boolean | undefined
  /**
   * The data diffs runs get, how their results go, and how the listing filters
   * (see `LocalDataDiffOptions`).
   *
   * @since 0.3.0
   */
  readonly dataDiffs?: LocalDataDiffOptions | undefined
  /**
   * List every run of the CI config whatever the `pr_sha` and `pr_num` filters say, as a
   * server (or proxy) that ignores them would (default `false`).
   *
   * @since 0.2.0
   */
  readonly ignoreRunFilters?: boolean | undefined
  /**
   * Runs of other commits or PRs that every listing returns beside the stored ones, first
   * and whatever the filters say (a misbehaving server). Each one's `id` defaults to
   * one above any stored run's, so it reads as the newest.
   *
   * @since 0.2.0
   */
  readonly foreignRuns?: ReadonlyArray<ForeignRun> | undefined
}

/**
 * The API behind the front door: answers a well-formed web request from the state.
 *
 * @since 0.2.0
 * @category models
 */
export interface ApiHandler {
  readonly handle: (request: Request) => Promise<Response>
  readonly dispose: () => Promise<void>
}

/**
 * A running front door; each Effect major wraps it in its own types (`Redacted` key,
 * run classes).
 *
 * @since 0.2.0
 * @category models
 */
export interface FrontDoor {
  readonly url: string
  readonly apiKey: string
  readonly requests: () => ReadonlyArray<RecordedRequest>
  readonly runs: () => ReadonlyArray<WireCiRun>
  readonly uploads: () => ReadonlyArray<ReceivedUpload>
  readonly dbtUploads: () => ReadonlyArray<ReceivedDbtUpload>
  readonly dataDiffs: () => ReadonlyArray<Readonly<Record<string, unknown>>>
  readonly inject: (fault: Fault, options?: { readonly times?: number; readonly endpoint?: Endpoint }) => void
  readonly reset: () => void
  readonly close: () => Promise<void>
}

/**
 * Which endpoint a request names.
 *
 * @since 0.2.0
 * @category routing
 */
export const endpointOf = (method: string, url: string): Endpoint =>
  dbtRouteOf(url)?.endpoint ?? dataDiffRouteOf(method, url)?.endpoint ??
    (/^\/api\/v1\/ci\/[^/]+\/trigger(?:\?|$)/.test(url)
      ? "trigger"
      : /^\/api\/v1\/ci\/[^/]+\/runs(?:\?|$)/.test(url)
      ? "runs"
      : method === "POST" && /^\/api\/v1\/ci\/[^/]+\/[^/?]+(?:\?|$)/.test(url)
      ? "upload"
      : "other")

const hardClose = (socket: Socket): void => {
  // A TCP reset where the runtime offers it (Node), else a plain close (other runtimes).
  if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy()
  else socket.destroy()
}

/**
 * Starts the front door on loopback with the handler `makeHandler` builds over the state.
 *
 * @since 0.2.0
 * @category constructors
 */
export const startFrontDoor = async (
  options: LocalDatafoldServerOptions,
  makeHandler: (state: ServerState) => ApiHandler
): Promise<FrontDoor> => {
  const state = makeServerState(options)
  const api = makeHandler(state)
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
      const url = request.url ?? "/"
      const method = request.method ?? "GET"
      const endpoint = endpointOf(method, url)
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers)) {
        if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value
      }
      // Taken as the request arrives, not once its body is in: a cut happens on the way.
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
      const received = await receiveBody(request, fault?._tag === "CutUpload" ? fault.afterBytes : undefined)
      if (received._tag === "Cut") {
        state.requests.push({ method, url, headers, body: cutBody(received.bytes), endpoint })
        hardClose(request.socket)
        return
      }
      const { body } = received
      const toDbt = method === "POST" && dbtRouteOf(url) !== undefined
      const toDiffs = dataDiffRouteOf(method, url) !== undefined
      state.requests.push({ method, url, headers, body: recordedBody(body, headers["content-type"], toDbt), endpoint })

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
      // dbt's endpoints are the same plain TypeScript behind either major's handler.
      const answer = toDbt
        ? answerDbt(state, { method, url, headers, body })
        : toDiffs
        ? answerDataDiffs(state, { method, url, headers, body })
        : await api.handle(
          new Request(`http://127.0.0.1${url}`, {
            method,
            headers,
            ...(method === "GET" || method === "HEAD" ? {} : { body: new Uint8Array(body) })
          })
        )
      // An API handler answers 400 only for a body that is not JSON at all (the Effect 3
      // platform does so itself, before the API sees it). FastAPI says 422 json_invalid.
      if (!toDbt && !toDiffs && answer.status === 400) {
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
    apiKey: state.apiKey,
    requests: () => [...state.requests],
    runs: () => state.runs.map(withoutConfig),
    uploads: () => [...state.uploads],
    dbtUploads: () => [...state.dbtUploads],
    dataDiffs: () => state.dataDiffs.map((diff: StoredDataDiff) => dataDiffAnswerOf(diff)),
    inject: (fault, { endpoint = "trigger", times = 1 } = {}) => {
      for (let i = 0; i < times; i++) state.faults.push({ fault, endpoint })
    },
    reset: () => resetState(state),
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections?.()
      })
      await api.dispose()
    }
  }
}
