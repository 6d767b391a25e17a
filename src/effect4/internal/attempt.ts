/**
 * One attempt of the Effect 4 client: send, time out, read and decode the answer, with
 * every failure a typed Datafold error.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import { MIN_ATTEMPT_MILLIS } from "../../core/attemptTime.ts"
import { timeoutDetail } from "../../core/messages.ts"
import type { Scrub } from "../../core/scrub.ts"
import { transportFailure } from "../../core/transportFailure.ts"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import { causeOf, type Decode, interpretResponse } from "./interpretResponse.ts"

/** Send `request` once and decode its answer with `decode`, giving up at `deadlineAt` (epoch ms). */
export type Attempt = <A>(
  request: HttpClientRequest.HttpClientRequest,
  decode: Decode<A>,
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
  readonly minAttemptMillis: number
  readonly scrub: Scrub
}

/**
 * The attempt function of one client. Each attempt owns its request: when the attempt's
 * scope closes (answer read, error, timeout) the request is aborted, so an unread body is
 * cancelled and its socket released at once. It is traced by a span of its own.
 */
export const makeAttempt = (settings: AttemptSettings): Attempt => {
  const timeoutMillis = Duration.toMillis(settings.timeout)
  const client = HttpClient.withScope(settings.client)
  return (request, decode, deadlineAt) =>
    Effect.clockWith((clock) => {
      const remaining = deadlineAt - clock.currentTimeMillisUnsafe()
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
        Effect.catch((error) =>
          Effect.fail(
            new DatafoldNetworkError({ ...transportFailure(causeOf(error), settings.scrub), url: request.url })
          )
        ),
        Effect.tap((response) => Effect.annotateCurrentSpan("http.response.status_code", response.status)),
        Effect.flatMap((response) => interpretResponse(response, decode, { url: request.url, scrub: settings.scrub })),
        Effect.scoped,
        Effect.timeoutOrElse({
          duration: Duration.millis(Math.min(remaining, timeoutMillis)),
          orElse: () => Effect.fail(timeoutError())
        }),
        Effect.withSpan(`DatafoldClient.http ${request.method}`, {
          kind: "client",
          attributes: { "http.request.method": request.method, "url.full": request.url }
        })
      )
    })
}
