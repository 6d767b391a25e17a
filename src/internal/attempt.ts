/**
 * One attempt at a call: send, read the body within the cap, interpret the answer,
 * all within the per-attempt timeout or what is left of the overall deadline.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import { interpretResponse } from "./interpretResponse.ts"
import { timeoutFailFast } from "./timeoutFailFast.ts"
import { classifyTransportFailure } from "./transportFailure.ts"

/** Send `request` once and decode a 2xx body with `decode`, giving up at `deadlineAt` (epoch ms). */
export type Attempt = <A>(
  request: HttpClientRequest.HttpClientRequest,
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  deadlineAt: number
) => Effect.Effect<A, DatafoldError>

/** What an attempt needs from the client. */
export interface AttemptSettings {
  readonly client: HttpClient.HttpClient
  readonly timeout: Duration.Duration
  readonly deadline: Duration.Duration
  /** The key, to scrub it from whatever the server sends back. */
  readonly secret: string
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
  return (request, decode, deadlineAt) =>
    Effect.clockWith((clock) => {
      const remaining = deadlineAt - clock.unsafeCurrentTimeMillis()
      const deadlineFirst = remaining < timeoutMillis
      const timeoutError = () =>
        new DatafoldNetworkError({
          reason: "Timeout",
          url: request.url,
          detail: deadlineFirst
            ? `Gave up after the overall deadline of ${Duration.format(settings.deadline)}`
            : `No answer within ${Duration.format(settings.timeout)}`
        })
      if (remaining <= 0) return Effect.fail(timeoutError())
      return settings.client.execute(request).pipe(
        Effect.catchAll((error) =>
          Effect.fail(
            new DatafoldNetworkError({ ...classifyTransportFailure(error.cause ?? error), url: request.url })
          )
        ),
        Effect.tap((response) => Effect.annotateCurrentSpan("http.response.status_code", response.status)),
        Effect.flatMap((response) =>
          interpretResponse(response, decode, { url: request.url, secret: settings.secret })
        ),
        (effect) => timeoutFailFast(effect, Math.min(remaining, timeoutMillis), timeoutError),
        Effect.withSpan(`DatafoldClient.http ${request.method}`, {
          kind: "client",
          captureStackTrace: false,
          attributes: { "http.request.method": request.method, "url.full": request.url }
        })
      )
    })
}
