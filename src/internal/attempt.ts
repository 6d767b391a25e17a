/**
 * One attempt at a call: send, read the body within the cap, interpret the answer,
 * all within the per-attempt timeout or what is left of the overall deadline.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import { isRedirect } from "../core/outcome.ts"
import { bodyReadFailure, interpretAnswer, interpretResponse } from "./interpretResponse.ts"
import { timeoutFailFast } from "./timeoutFailFast.ts"
import { MIN_ATTEMPT_MILLIS } from "../core/attemptTime.ts"
import { timeoutDetail } from "../core/messages.ts"
import type { Scrub } from "../core/scrub.ts"
import { transportFailure } from "../core/transportFailure.ts"
import { whenTraced } from "./tracing.ts"
import type { WireRequest, WireSend } from "./wire.ts"

/** Send `request` once and decode a 2xx body with `decode`, giving up at `deadlineAt` (epoch ms). */
export type Attempt = <A>(
  request: WireRequest,
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  deadlineAt: number
) => Effect.Effect<A, DatafoldError>

/** {@link MIN_ATTEMPT_MILLIS}, or the timeout or deadline when either is shorter. */
export const minimumAttemptMillis = (
  settings: { readonly timeout: Duration.Duration; readonly deadline: Duration.Duration }
): number => Math.min(MIN_ATTEMPT_MILLIS, Duration.toMillis(settings.timeout), Duration.toMillis(settings.deadline))

/** What an attempt needs from the client. */
export interface AttemptSettings {
  /** The authorized (and user-transformed) client: the general path. */
  readonly client: HttpClient.HttpClient
  /** The wire of the library's own transport, when the client is one: the fast path. */
  readonly wire: WireSend | undefined
  /** The headers every request carries (the wire path sends them; the client sets its own). */
  readonly headers: Readonly<Record<string, string>>
  readonly timeout: Duration.Duration
  readonly deadline: Duration.Duration
  /** No attempt starts with less than this left of the deadline (see {@link minimumAttemptMillis}). */
  readonly minAttemptMillis: number
  /** Removes the key from whatever the server or the runtime says. */
  readonly scrub: Scrub
}

/** One attempt, once its time limit is known; `onStatus` sees the answer's status. */
type Send = <A>(
  request: WireRequest,
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  millis: number,
  onTimeout: () => DatafoldError,
  onStatus: (status: number) => void
) => Effect.Effect<A, DatafoldError>

const ignoreStatus = (_: number): void => {}

/**
 * The fast path: the attempt as one asynchronous step, with one `AbortController` and
 * one timer. The answer goes through the same rules as on the general path
 * (`interpretAnswer`, `bodyReadFailure`, `transportFailure`).
 */
const overWire = (wire: WireSend, settings: AttemptSettings): Send => {
  const postHeaders = { ...settings.headers, "content-type": "application/json" }
  return <A>(
    request: WireRequest,
    decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
    millis: number,
    onTimeout: () => DatafoldError,
    onStatus: (status: number) => void
  ) =>
    Effect.async<A, DatafoldError>((resume) => {
      const controller = new AbortController()
      const context = { url: request.url, scrub: settings.scrub }
      let settled = false
      const settle = (outcome: Effect.Effect<A, DatafoldError>) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resume(outcome)
      }
      // On timeout the request is aborted (its socket released) before the error is given.
      const timer = setTimeout(() => {
        if (settled) return
        settled = true
        controller.abort()
        resume(Effect.fail(onTimeout()))
      }, millis)
      wire(request, request.body === undefined ? settings.headers : postHeaders, controller.signal).then(
        (answer) => {
          if (settled) return
          onStatus(answer.status)
          if (isRedirect(answer.status)) {
            controller.abort()
            return settle(interpretAnswer(answer, "", decode, context))
          }
          answer.text().then(
            (text) => settle(interpretAnswer(answer, text, decode, context)),
            (error) => {
              controller.abort()
              settle(Effect.fail(bodyReadFailure(answer, error, context)))
            }
          )
        },
        (error) =>
          settle(
            Effect.fail(new DatafoldNetworkError({ ...transportFailure(error, settings.scrub), url: request.url }))
          )
      )
      return Effect.sync(() => {
        settled = true
        clearTimeout(timer)
        controller.abort()
      })
    })
}

/** The request as `@effect/platform` builds it, for the general path. */
const platformRequest = (request: WireRequest): HttpClientRequest.HttpClientRequest => {
  const base = HttpClientRequest.make(request.method)(request.url + request.query)
  return request.body === undefined ? base : HttpClientRequest.bodyText(base, request.body, "application/json")
}

/** The general path: any `HttpClient`, with the attempt's timeout racing it. */
const overClient = (settings: AttemptSettings): Send => {
  // Each attempt owns its request: when the attempt's scope closes (answer read, error,
  // timeout), the request is aborted, so a body left unread (a redirect, a body over
  // the cap, one that never ends) is cancelled and its socket released at once.
  const client = HttpClient.withScope(settings.client)
  return (request, decode, millis, onTimeout, onStatus) =>
    client.execute(platformRequest(request)).pipe(
      Effect.catchAll((error) =>
        Effect.fail(
          new DatafoldNetworkError({ ...transportFailure(error.cause ?? error, settings.scrub), url: request.url })
        )
      ),
      Effect.tap((response) => onStatus(response.status)),
      Effect.flatMap((response) => interpretResponse(response, decode, { url: request.url, scrub: settings.scrub })),
      Effect.scoped,
      (effect) => timeoutFailFast(effect, millis, onTimeout)
    )
}

/**
 * The attempt function of one client: over the wire when the client is the library's
 * own transport, else over the `HttpClient`. One timer serves both the timeout and the
 * deadline, because the common call makes a single attempt.
 *
 * When a tracer is installed, it is traced by a span of its own rather than the
 * platform's HTTP span, which records every response header verbatim, and a server
 * could echo the key into one.
 */
export const makeAttempt = (settings: AttemptSettings): Attempt => {
  const timeoutMillis = Duration.toMillis(settings.timeout)
  const send = settings.wire === undefined ? overClient(settings) : overWire(settings.wire, settings)
  return (request, decode, deadlineAt) =>
    Effect.clockWith((clock) => {
      const remaining = deadlineAt - clock.unsafeCurrentTimeMillis()
      const deadlineFirst = remaining < timeoutMillis
      const timeoutError = () =>
        new DatafoldNetworkError({
          reason: "Timeout",
          url: request.url,
          detail: deadlineFirst
            ? timeoutDetail("deadline", Duration.format(settings.deadline))
            : timeoutDetail("attempt", Duration.format(settings.timeout))
        })
      // Never start what cannot finish: a wait cut to the deadline can end a hair before it.
      if (remaining < settings.minAttemptMillis) return Effect.fail(timeoutError())
      const millis = Math.min(remaining, timeoutMillis)
      return whenTraced(
        send(request, decode, millis, timeoutError, ignoreStatus),
        () =>
          Effect.useSpan(
            `DatafoldClient.http ${request.method}`,
            {
              kind: "client",
              captureStackTrace: false,
              attributes: { "http.request.method": request.method, "url.full": request.url + request.query }
            },
            (span) =>
              Effect.withParentSpan(
                send(request, decode, millis, timeoutError, (status) => {
                  span.attribute("http.response.status_code", status)
                }),
                span
              )
          )
      )
    })
}
