/**
 * A prototype Node-only `HttpClient` over `node:http`/`node:https`, written for the
 * cold-start investigation: on Node 20 the first `fetch` loads the bundled undici
 * (about 100 ms here), while `node:http` is already part of the runtime. Only what a
 * one-shot CLI needs; see the benchmark report for the recommendation.
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
import type * as http from "node:http"
import { request as httpRequest } from "node:http"

type Https = typeof import("node:https")
let https: Promise<Https> | undefined
/** `node:https` (and so TLS) is loaded only for the first https URL. */
const loadHttps = (): Promise<Https> => (https ??= import("node:https"))

const readAll = (message: http.IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    message.on("data", (chunk: Buffer) => chunks.push(chunk))
    message.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)))
    message.once("error", reject)
    message.once("aborted", () => reject(new Error("the response was aborted")))
  })

class NodeClientResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly status: number
  private cachedHeaders: Headers.Headers | undefined
  private bodyPromise: Promise<Buffer> | undefined

  constructor(readonly request: HttpClientRequest.HttpClientRequest, private readonly source: http.IncomingMessage) {
    super()
    this.status = source.statusCode ?? 0
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  private get body(): Effect.Effect<Buffer, HttpClientError.ResponseError> {
    return Effect.tryPromise({ try: () => (this.bodyPromise ??= readAll(this.source)), catch: (cause) => this.decodeError(cause) })
  }

  get headers(): Headers.Headers {
    return (this.cachedHeaders ??= Headers.fromInput(this.source.headers))
  }

  get cookies(): Cookies.Cookies {
    return Cookies.fromSetCookie(this.source.headers["set-cookie"] ?? [])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.fromNullable(this.source.socket?.remoteAddress)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.body, (buffer) => buffer.toString("utf8"))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({ try: () => (text === "" ? null : JSON.parse(text)), catch: (cause) => this.decodeError(cause) }))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.body, (buffer) => buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer)
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(text)), catch: (cause) => this.decodeError(cause) }))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.arrayBuffer, (buffer) =>
      Effect.tryPromise({
        try: () => new Response(buffer, { headers: this.headers as Record<string, string> }).formData(),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.fromAsyncIterable(this.source as AsyncIterable<Uint8Array>, (cause) => this.decodeError(cause))
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

const send = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  signal: AbortSignal,
  makeRequest: typeof httpRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const body = request.body
    if (body._tag === "FormData" || body._tag === "Stream") {
      resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Encode", description: `${body._tag} bodies are not supported by this prototype` })))
      return
    }
    const outgoing = makeRequest(url, { method: request.method, headers: request.headers, signal }, (incoming) => {
      resume(Effect.succeed(new NodeClientResponse(request, incoming)))
    })
    outgoing.once("error", (cause) => resume(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause }))))
    if (body._tag === "Empty") outgoing.end()
    else outgoing.end(body.body as string | Uint8Array)
  })

/** An `HttpClient` over `node:http` (and `node:https`, loaded on first use). */
export const make = (): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    url.protocol === "https:"
      ? Effect.flatMap(Effect.promise(loadHttps), (module) => send(request, url, signal, module.request as typeof httpRequest))
      : send(request, url, signal, httpRequest)
  )

/** A layer with the `node:http` client. */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.sync(HttpClient.HttpClient, make)
