/**
 * Failures the local Datafold server can be told to answer with, so that pipelines and
 * clients can be tested against every way a real service fails.
 *
 * @since 0.1.0
 */

/**
 * One scripted failure for the next matching request.
 *
 * - `Respond`: answer with this status, body and headers, and do nothing else.
 * - `Delay`: wait, then handle the request normally (a slow answer).
 * - `Drop`: close the connection before reading anything into the service (nothing is created).
 * - `LoseAnswer`: handle the request (a run is created), then close the connection
 *   instead of answering: the case where Datafold did the work and the answer was lost.
 * - `ResetMidBody`: send the status and part of the body, then close the connection.
 * - `CutUpload`: reset the connection once `afterBytes` of the request body have arrived
 *   (or when the body ends, if it is shorter), without answering and without handling the
 *   request: an upload that dies on the way (`@since 0.2.0`).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { listCiRuns } from "effect-datafold"
 * import { clientLayerFor, Fault, makeLocalDatafoldServer } from "effect-datafold/testing"
 *
 * // The runs listing answers 401 once: the client fails with DatafoldAuthError
 * const program = Effect.gen(function* () {
 *   const server = yield* makeLocalDatafoldServer()
 *   server.inject(Fault.unauthorized(), { endpoint: "runs" })
 *   const error = yield* Effect.flip(listCiRuns(1234).pipe(Effect.provide(clientLayerFor(server))))
 *   console.log(error._tag) // "DatafoldAuthError"
 * })
 *
 * await Effect.runPromise(Effect.scoped(program))
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export type Fault =
  | {
    readonly _tag: "Respond"
    readonly status: number
    readonly body: string
    readonly headers: Readonly<Record<string, string>>
  }
  | { readonly _tag: "Delay"; readonly millis: number }
  | { readonly _tag: "Drop" }
  | { readonly _tag: "LoseAnswer" }
  | { readonly _tag: "ResetMidBody" }
  | { readonly _tag: "CutUpload"; readonly afterBytes: number }

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Fault => ({
  _tag: "Respond",
  status,
  body: JSON.stringify(body),
  headers: { "content-type": "application/json", ...headers }
})

/**
 * Answer with any status and body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const respond = (status: number, body: string, headers: Readonly<Record<string, string>> = {}): Fault => ({
  _tag: "Respond",
  status,
  body,
  headers
})

/**
 * 401 with FastAPI's `{"detail": "Not authenticated"}`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const unauthorized = (): Fault => json(401, { detail: "Not authenticated" })

/**
 * 403 with a string `detail`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const forbidden = (): Fault => json(403, { detail: "Forbidden: the API key has no access to this CI config" })

/**
 * 404 with FastAPI's `{"detail": "Not Found"}`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const notFound = (): Fault => json(404, { detail: "Not Found" })

/**
 * 422 with FastAPI-shaped items (the default: a missing `pr_sha`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const validation = (
  detail: ReadonlyArray<{ readonly loc: ReadonlyArray<string | number>; readonly msg: string; readonly type: string }> =
    [
      { loc: ["body", "pr_sha"], msg: "Field required", type: "missing" }
    ]
): Fault => json(422, { detail })

/**
 * 429 with `Retry-After`: a number of seconds, or a date sent as an HTTP date.
 *
 * @since 0.1.0
 * @category constructors
 */
export const rateLimited = (retryAfter?: number | Date): Fault =>
  json(
    429,
    { detail: "Too Many Requests" },
    retryAfter === undefined
      ? {}
      : { "retry-after": typeof retryAfter === "number" ? String(retryAfter) : retryAfter.toUTCString() }
  )

/** The reason phrase of each status a proxy answers for Datafold. */
const proxyReasons = { 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" } as const

/**
 * A 5xx answer: 500 as JSON, 502/503/504 as the HTML page a proxy would send.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serverError = (status: 500 | 502 | 503 | 504 = 500): Fault =>
  status === 500 ? json(500, { detail: "Internal Server Error" }) : respond(
    status,
    `<html><head><title>${status} ${proxyReasons[status]}</title></head><body><center><h1>${status} ${
      proxyReasons[status]
    }</h1></center><hr><center>nginx</center></body></html>`,
    { "content-type": "text/html" }
  )

/**
 * 200 whose body is not JSON.
 *
 * @since 0.1.0
 * @category constructors
 */
export const malformedBody = (): Fault => respond(200, '{"ci_run_id": 12,', { "content-type": "application/json" })

/**
 * Handle the request normally after a delay.
 *
 * @since 0.1.0
 * @category constructors
 */
export const slow = (millis: number): Fault => ({ _tag: "Delay", millis })

/**
 * Close the connection without answering, before anything is processed.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dropConnection = (): Fault => ({ _tag: "Drop" })

/**
 * Create the run, then close the connection instead of answering.
 *
 * @since 0.1.0
 * @category constructors
 */
export const loseAnswer = (): Fault => ({ _tag: "LoseAnswer" })

/**
 * Start a 200 answer, then close the connection half-way through the body.
 *
 * @since 0.1.0
 * @category constructors
 */
export const resetMidBody = (): Fault => ({ _tag: "ResetMidBody" })

/**
 * Reset the connection part-way through the request body, once `afterBytes` bytes of it
 * have arrived (default 64 KiB), before any answer: nothing is recorded but the request.
 *
 * @since 0.2.0
 * @category constructors
 */
export const cutUpload = (afterBytes: number = 64 * 1024): Fault => ({ _tag: "CutUpload", afterBytes })

/**
 * 413 as the HTML page a proxy sends when a body is over its limit.
 *
 * @since 0.2.0
 * @category constructors
 */
export const payloadTooLarge = (): Fault =>
  respond(
    413,
    "<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center><hr><center>nginx</center></body></html>",
    { "content-type": "text/html" }
  )

/**
 * A redirect to another address.
 *
 * @since 0.1.0
 * @category constructors
 */
export const redirect = (location: string, status: 301 | 302 | 307 | 308 = 307): Fault =>
  respond(status, "", { location })
