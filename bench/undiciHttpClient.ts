/**
 * A prototype Node-only `HttpClient` over `undici.request`, written for the benchmark to
 * measure what a faster transport would buy the client while `FetchHttpClient` stays the
 * portable default. It skips the WHATWG `Request`/`Response`/stream machinery that
 * `fetch` builds around the same undici core.
 *
 * Not part of the library: see the benchmark report for the recommendation.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import type { Dispatcher } from "undici"
import { loadUndici } from "./undiciModule.ts"

type UndiciResponse = Dispatcher.ResponseData

/** Undici's header record (values may repeat) as platform `Headers`. */
const toHeaders = (raw: UndiciResponse["headers"]): Headers.Headers => {
  const out: Record<string, string> = {}
  for (const key in raw) {
    const value = raw[key]
    if (value !== undefined) out[key] = Array.isArray(value) ? value.join(", ") : (value as string)
  }
  return Headers.unsafeFromRecord(out)
}

class UndiciClientResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly status: number
  private cachedHeaders: Headers.Headers | undefined
  private cachedCookies: Cookies.Cookies | undefined
  private textPromise: Promise<string> | undefined
  private bufferPromise: Promise<ArrayBuffer> | undefined

  constructor(readonly request: HttpClientRequest.HttpClientRequest, private readonly source: UndiciResponse) {
    super()
    this.status = source.statusCode
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get headers(): Headers.Headers {
    return (this.cachedHeaders ??= toHeaders(this.source.headers))
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const raw = this.source.headers["set-cookie"]
    return (this.cachedCookies = Cookies.fromSetCookie(raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]))
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => (this.textPromise ??= this.source.body.text()),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) =>
        Effect.try({ try: () => (text === "" ? null : JSON.parse(text)), catch: (cause) => this.decodeError(cause) })
    )
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => (this.bufferPromise ??= this.source.body.arrayBuffer()),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(
      this.text,
      (text) =>
        Effect.try({
          try: () => UrlParams.fromInput(new URLSearchParams(text)),
          catch: (cause) => this.decodeError(cause)
        })
    )
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.arrayBuffer, (buffer) =>
      Effect.tryPromise({
        try: () => new Response(buffer, { headers: this.headers as Record<string, string> }).formData(),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.fromAsyncIterable(this.source.body as AsyncIterable<Uint8Array>, (cause) => this.decodeError(cause))
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

/** The request body in a form `undici.request` takes; a stream body becomes a Node `Readable`. */
const bodyOf = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Dispatcher.RequestOptions["body"], never> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(undefined)
    case "Raw":
      return Effect.succeed(body.body as Dispatcher.RequestOptions["body"])
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "FormData":
      return Effect.succeed(body.formData as unknown as Dispatcher.RequestOptions["body"])
    case "Stream":
      return Effect.map(
        Stream.toReadableStreamEffect(body.stream),
        (web) => Readable.fromWeb(web as import("node:stream/web").ReadableStream<Uint8Array>)
      )
  }
}

/**
 * An `HttpClient` that sends through the given undici dispatcher. Interruption aborts the
 * request through the signal `HttpClient.make` supplies.
 */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(bodyOf(request), (body) =>
      Effect.map(
        Effect.tryPromise({
          try: () =>
            dispatcher.request({
              origin: url.origin,
              path: `${url.pathname}${url.search}`,
              method: request.method as Dispatcher.HttpMethod,
              headers: request.headers as Record<string, string>,
              body: body ?? null,
              signal
            }),
          catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
        }),
        (response) => new UndiciClientResponse(request, response)
      ))
  )

/**
 * A layer with its own undici `Agent`, closed when the layer is released. (The bench
 * loads undici through `loadUndici` so that Node's `fetch` keeps its own agent.)
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(
    Effect.acquireRelease(
      Effect.promise(() => loadUndici().then(({ Agent }) => new Agent())),
      (agent) => Effect.promise(() => agent.close())
    ),
    make
  )
)
