/**
 * One attempt at a call: send, read the body within the cap, interpret the answer,
 * all within the per-attempt timeout or what is left of the overall deadline.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import { interpretResponse } from "./interpretResponse.ts"
import { timeoutFailFast } from "./timeoutFailFast.ts"
import { MIN_ATTEMPT_MILLIS } from "../core/attemptTime.ts"
import { timeoutDetail } from "../core/messages.ts"
import type { Scrub } from "../core/scrub.ts"
import { transportFailure } from "../core/transportFailure.ts"

/** Send `request` once and decode a 2xx body with `decode`, giving up at `deadlineAt` (epoch ms). */
export type Attempt = <A>(
  request: HttpClientRequest.HttpClientRequest,
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  deadlineAt: number
) => Effect.Effect<A, DatafoldError>

/** {@link MIN_ATTEMPT_MILLIS}, or the timeout or deadline when either is shorter. */
export const minimumAttemptMillis = (
  settings: { readonly timeout: Duration.Duration; readonly deadline: Duration.Duration }
): number => Math.min(MIN_ATTEMPT_MILLIS, Duration.toMillis(settings.timeout), Duration.toMillis(settings.deadline))

/** What an attempt needs from the client. */
export interface AttemptSettings {
  readonly client: HttpClient.HttpClient
  readonly timeout: Duration.Duration
  readonly deadline: Duration.Duration
  /** No attempt starts with less than this left of the deadline (see {@link minimumAttemptMillis}). */
  readonly minAttemptMillis: number
  /** Removes the key from whatever the server or the runtime says. */
  readonly scrub: Scrub
}

/**
 * The attempt function of one client. One timer serves both the timeout and the
 * deadline, because each timeout races a fiber of its own and the common call makes a
 * single attempt.
 *
 * It is traced by a span of its own rather than the platform's HTTP span, which
 * records every response header verbatim, and a server could echo the key into one.
 */
export const makeAttempt = (settings: AttemptSettings): Attempt => {
  const timeoutMillis = Duration.toMillis(settings.timeout)
  // Each attempt owns its request: when the attempt's scope closes (answer read, error,
  // timeout), the request is aborted, so a body left unread (a redirect, a body over
  // the cap, one that never ends) is cancelled and its socket released at once.
  const client = HttpClient.withScope(settings.client)
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
      return client.execute(request).pipe(
        Effect.catchAll((error) =>
          Effect.fail(
            new DatafoldNetworkError({ ...transportFailure(error.cause ?? error, settings.scrub), url: request.url })
          )
        ),
        Effect.tap((response) => Effect.annotateCurrentSpan("http.response.status_code", response.status)),
        Effect.flatMap((response) => interpretResponse(response, decode, { url: request.url, scrub: settings.scrub })),
        Effect.scoped,
        (effect) => timeoutFailFast(effect, Math.min(remaining, timeoutMillis), timeoutError),
        Effect.withSpan(`DatafoldClient.http ${request.method}`, {
          kind: "client",
          captureStackTrace: false,
          attributes: { "http.request.method": request.method, "url.full": request.url }
        })
      )
    })
}
