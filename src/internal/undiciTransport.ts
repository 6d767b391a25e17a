/**
 * A transport on an undici `Dispatcher` (Node only), as an `HttpClient`: the client's own
 * calls are dispatched straight to it over the undici wire (`undiciWire.ts`), and the same
 * dispatcher serves a general `HttpClient` (through `dispatcher.request`) for anything
 * else. undici neither follows redirects nor undoes a content coding, so the coding is
 * undone here (`contentDecoding.ts`), as `fetch` would, before the cap counts the bytes.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { Readable } from "node:stream"
import type { Dispatcher } from "undici"
import { decodedBody, headerOf } from "./contentDecoding.ts"
import { undiciSend } from "./undiciWire.ts"
import { withWire } from "./wire.ts"

/** Statuses whose answer has no body, which a web `Response` refuses to carry one for. */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

const requestBody = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<string | Uint8Array | Readable | null> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return Effect.succeed(
        typeof body.body === "string" || body.body instanceof Uint8Array
          ? body.body
          : Readable.fromWeb(new Response(body.body as BodyInit).body as never)
      )
    case "FormData":
      return Effect.succeed(Readable.fromWeb(new Response(body.formData).body as never))
    case "Stream":
      return Effect.map(Stream.toReadableStreamEffect(body.stream), (stream) => Readable.fromWeb(stream as never))
  }
}

/**
 * A general `HttpClient` over `dispatcher`: each answer becomes a web `Response` (its body
 * decoded as `fetch` would) so every `@effect/platform` reader works on it. Slower than
 * the wire, and used only for what does not take it.
 */
const generalClient = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  HttpClient.make((request, url, signal) =>
    Effect.flatMap(requestBody(request), (body) =>
      Effect.tryPromise({
        try: async () => {
          const response = await dispatcher.request({
            origin: url.origin,
            path: url.pathname + url.search,
            method: request.method,
            headers: request.headers,
            body,
            signal
          })
          const headers = new Headers()
          for (const [name, value] of Object.entries(response.headers)) {
            if (value === undefined) continue
            for (const one of typeof value === "string" ? [value] : value) headers.append(name, one)
          }
          const empty = NULL_BODY.has(response.statusCode) || request.method === "HEAD"
          if (empty) response.body.destroy()
          const web = new Response(
            empty ? null : (Readable.toWeb(
              await decodedBody(response.body, headerOf(response.headers, "content-encoding"))
            ) as never),
            { status: response.statusCode, headers }
          )
          return HttpClientResponse.fromWeb(request, web)
        },
        catch: (cause) => new HttpClientError.RequestError({ request, reason: "Transport", cause })
      }))
  )

/** An `HttpClient` on `dispatcher`, marked so the client's own calls go over {@link undiciSend}. */
export const undiciClient = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  withWire(generalClient(dispatcher), undiciSend(dispatcher))

/** The `HttpClient` layer on the dispatcher `acquire` gives (with whatever scope it needs). */
export const undiciClientLayer = <R>(
  acquire: Effect.Effect<Dispatcher, never, R>
): Layer.Layer<HttpClient.HttpClient, never, Exclude<R, Scope.Scope>> =>
  Layer.scoped(HttpClient.HttpClient, Effect.map(acquire, undiciClient))
