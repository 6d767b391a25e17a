/**
 * One attempt of the Effect 4 client: send, time out, read and decode the answer, with
 * every failure a typed Datafold error. A body streamed from a source (a dbt target
 * folder) is opened afresh for each attempt and sent as a web stream pulled a chunk at a
 * time; its attempt times out on quiet time rather than on its length, and a source that
 * fails is reported as itself.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import { MIN_ATTEMPT_MILLIS } from "../../core/attemptTime.ts"
import { timeoutDetail } from "../../core/messages.ts"
import type { Scrub } from "../../core/scrub.ts"
import { closeSource, readableStreamOf, type StreamBody } from "../../core/streamBody.ts"
import { transportFailure } from "../../core/transportFailure.ts"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import { causeOf, type Decode, interpretResponse } from "./interpretResponse.ts"

/** What a call adds to its request: a streamed body, a larger answer. */
export interface AttemptOptions<E> {
  /** A body read from a source for each attempt, sent chunked; reading it can fail with `E`. */
  readonly body?: StreamBody<E> | undefined
  /** The most of the answer's body read; default `MAX_BODY_BYTES` (1 MiB). */
  readonly maxAnswerBytes?: number | undefined
}

/**
 * Send `request` once and decode its answer with `decode`, giving up at `deadlineAt`
 * (epoch ms). A streamed body's source can fail with `E`.
 */
export type Attempt = <A, E = never>(
  request: HttpClientRequest.HttpClientRequest,
  decode: Decode<A>,
  deadlineAt: number,
  options?: AttemptOptions<E>
) => Effect.Effect<A, DatafoldError | E>

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
 * The time limit of an attempt that streams its body: it fails with `onTimeout` once
 * `idleMillis` have passed since the last activity (a chunk taken by the connection, or
 * the last one, while the answer is awaited), and at `deadlineAt` in any case. The first
 * look comes after `firstMillis`; each later one when the quiet time could next run out.
 * Its sleeps are the `Clock`'s, as `timeoutOrElse`'s are.
 */
const quietTimeLimit = (
  clock: Clock.Clock,
  lastActivity: () => number,
  firstMillis: number,
  idleMillis: number,
  deadlineAt: number,
  onTimeout: () => DatafoldError
): Effect.Effect<never, DatafoldError> => {
  const look = (wait: number): Effect.Effect<never, DatafoldError> =>
    Effect.flatMap(Effect.sleep(Duration.millis(wait)), () => {
      const now = clock.currentTimeMillisUnsafe()
      const quiet = now - lastActivity()
      return quiet < idleMillis && now < deadlineAt
        ? look(Math.min(idleMillis - quiet, deadlineAt - now))
        : Effect.fail(onTimeout())
    })
  return look(firstMillis)
}

/**
 * The attempt function of one client. Each attempt owns its request: when the attempt's
 * scope closes (answer read, error, timeout) the request is aborted, so an unread body is
 * cancelled, a streamed one stops being read, and its socket is released at once. It is
 * traced by a span of its own.
 */
export const makeAttempt = (settings: AttemptSettings): Attempt => {
  const timeoutMillis = Duration.toMillis(settings.timeout)
  const client = HttpClient.withScope(settings.client)
  return <A, E>(
    request: HttpClientRequest.HttpClientRequest,
    decode: Decode<A>,
    deadlineAt: number,
    options?: AttemptOptions<E>
  ): Effect.Effect<A, DatafoldError | E> =>
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
      const context = { url: request.url, scrub: settings.scrub, maxAnswerBytes: options?.maxAnswerBytes }
      const millis = Math.min(remaining, timeoutMillis)
      const body = options?.body
      const exchange = (
        sent: HttpClientRequest.HttpClientRequest,
        sourceFailure: () => E | undefined
      ): Effect.Effect<A, DatafoldError | E> =>
        client.execute(sent).pipe(
          Effect.catch((error) =>
            Effect.fail(
              sourceFailure() ??
                new DatafoldNetworkError({ ...transportFailure(causeOf(error), settings.scrub), url: request.url })
            )
          ),
          Effect.tap((response) => Effect.annotateCurrentSpan("http.response.status_code", response.status)),
          Effect.flatMap((response) => interpretResponse(response, decode, context)),
          Effect.scoped
        )
      const timed: Effect.Effect<A, DatafoldError | E> = body === undefined
        ? exchange(request, () => undefined).pipe(
          Effect.timeoutOrElse({ duration: Duration.millis(millis), orElse: () => Effect.fail(timeoutError()) })
        )
        : Effect.suspend(() => {
          // Opened for this attempt; each chunk the connection takes counts as activity.
          let lastActivity = clock.currentTimeMillisUnsafe()
          const source = body.open(() => {
            lastActivity = clock.currentTimeMillisUnsafe()
          })
          // A web stream pulled a chunk at a time (Effect 4 keeps it as a raw body and fetch
          // sends it "half" duplex), rather than `bodyStream`: Effect 4's fetch client errors
          // an Effect stream's web stream when it stops an upload cut short, racing undici's
          // own cancel of it, whose rejection is then left unhandled (a crash on Node).
          const sent = HttpClientRequest.setBody(
            request,
            HttpBody.raw(readableStreamOf(source.chunks), { contentType: body.contentType })
          )
          return Effect.raceFirst(
            exchange(sent, source.failure),
            quietTimeLimit(clock, () => lastActivity, millis, timeoutMillis, deadlineAt, timeoutError)
          ).pipe(
            // However the attempt ends, the body's read stops (its file closed).
            Effect.ensuring(Effect.sync(() => closeSource(source)))
          )
        })
      return timed.pipe(
        Effect.withSpan(`DatafoldClient.http ${request.method}`, {
          kind: "client",
          attributes: { "http.request.method": request.method, "url.full": request.url }
        })
      )
    })
}
