/**
 * The general path: an attempt over any `HttpClient` (a user's own, or one a
 * `transformClient` hook wrapped), with the attempt's timeout racing it.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Stream from "effect/Stream"
import type { Scrub } from "../core/scrub.ts"
import { transportFailure } from "../core/transportFailure.ts"
import { type DatafoldError, DatafoldNetworkError } from "../DatafoldError.ts"
import { isRedirect } from "../core/outcome.ts"
import type { Decode, IdleLimit, Send } from "./attempt.ts"
import { type AnswerHead, bodyReadFailure, interpretAnswer, type ResponseContext } from "./interpretResponse.ts"
import { readCappedText } from "./readCappedResponse.ts"
import { BodyTooLarge } from "./responseBody.ts"
import { timeoutFailFast } from "./timeoutFailFast.ts"
import { closeSource } from "../core/streamBody.ts"
import type { BodySource, WireRequest } from "./wire.ts"

/**
 * {@link interpretAnswer} for an `@effect/platform` response: the body read within the
 * cap (a redirect's left unread).
 */
const interpretResponse = <A>(
  response: HttpClientResponse.HttpClientResponse,
  decode: Decode<A>,
  context: ResponseContext,
  cap: number | undefined
): Effect.Effect<A, DatafoldError> => {
  const head: AnswerHead = { status: response.status, headers: () => response.headers }
  // Redirects carry nothing worth reading, and reading them could wait on a slow body.
  if (isRedirect(head.status)) return interpretAnswer(head, "", decode, context)
  return readCappedText(response, cap).pipe(
    Effect.mapError((error) =>
      bodyReadFailure(head, error instanceof BodyTooLarge ? error : error.cause ?? error, context)
    ),
    Effect.flatMap((text) => interpretAnswer(head, text, decode, context))
  )
}

/** The request as `@effect/platform` builds it, a streamed body from its opened source. */
const platformRequest = <E>(
  request: WireRequest<E>,
  source: BodySource<E> | undefined
): HttpClientRequest.HttpClientRequest => {
  const base = HttpClientRequest.make(request.method)(request.url + request.query)
  const body = request.body
  if (body === undefined) return base
  if (typeof body === "string") return HttpClientRequest.bodyText(base, body, request.contentType ?? "application/json")
  return HttpClientRequest.bodyStream(base, Stream.fromAsyncIterable(source!.chunks, identity), {
    contentType: body.contentType
  })
}

/** The {@link Send} over `client`, which already carries the key and the fixed headers. */
export const sendOverClient = (client: HttpClient.HttpClient, scrub: Scrub): Send => {
  // Each attempt owns its request: when the attempt's scope closes (answer read, error,
  // timeout), the request is aborted, so a body left unread (a redirect, a body over
  // the cap, one that never ends) is cancelled and its socket released at once.
  const scoped = HttpClient.withScope(client)
  return <A, E>(
    request: WireRequest<E>,
    decode: Decode<A>,
    millis: number,
    onTimeout: () => DatafoldError,
    onStatus: (status: number) => void,
    idle?: IdleLimit
  ) =>
    Effect.suspend(() => {
      // A streamed body is opened for this attempt; its chunks taken count as activity.
      let lastActivity = Date.now()
      const source = typeof request.body === "object"
        ? request.body.open(() => {
          lastActivity = Date.now()
        })
        : undefined
      const attempt: Effect.Effect<A, DatafoldError | E> = scoped.execute(platformRequest(request, source)).pipe(
        Effect.catchAll((error) =>
          Effect.fail(
            source?.failure() ??
              new DatafoldNetworkError({ ...transportFailure(error.cause ?? error, scrub), url: request.url })
          )
        ),
        Effect.tap((response) => onStatus(response.status)),
        Effect.flatMap((response) =>
          interpretResponse(response, decode, { url: request.url, scrub }, request.maxAnswerBytes)
        ),
        Effect.scoped
      )
      const limited = timeoutFailFast(
        attempt,
        millis,
        onTimeout,
        source === undefined || idle === undefined ? undefined : { ...idle, lastActivity: () => lastActivity }
      )
      // However the attempt ends, a streamed body's read stops (its file closed).
      return source === undefined ? limited : Effect.ensuring(limited, Effect.sync(() => closeSource(source)))
    })
}
