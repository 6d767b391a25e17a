/**
 * A transport on an undici `Dispatcher` (Node only): the client's own calls go straight to
 * `dispatcher.request`, and the same dispatcher serves a general `HttpClient` for anything
 * else. undici's `request` neither follows redirects nor undoes a content coding, so the
 * coding is undone here (`contentDecoding.ts`), as `fetch` would, before the cap counts
 * the bytes.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { EventEmitter } from "node:events"
import { Readable } from "node:stream"
import type { Dispatcher } from "undici"
import { MAX_BODY_BYTES } from "../core/bodyCap.ts"
import { cappedText, codingOf, decodedBody, headerOf, headerRecord } from "./contentDecoding.ts"
import { type WireAnswer, type WireSend, withWire } from "./wire.ts"

/** Where a URL goes, as undici's `request` takes it: origin and path apart. */
const splitUrl = (url: string): { readonly origin: string; readonly path: string } => {
  const slash = url.indexOf("/", url.indexOf("//") + 2)
  return slash < 0 ? { origin: url, path: "/" } : { origin: url.slice(0, slash), path: url.slice(slash) }
}

/**
 * The body as text within the cap. An answer that is not coded and declares a length
 * within the cap is read whole by undici (which holds the body to that length), as the
 * `fetch` wire reads one; anything else is decoded and counted chunk by chunk.
 */
const textOf = (response: Dispatcher.ResponseData): Promise<string> => {
  const declared = Number(headerOf(response.headers, "content-length") ?? Number.NaN)
  return declared > 0 && declared <= MAX_BODY_BYTES && codingOf(response.headers) === undefined
    ? response.body.text()
    : cappedText(response.body, response.headers)
}

/**
 * The wire over `dispatcher`. The request is abandoned through an `EventEmitter`, which
 * undici's `request` takes in place of an `AbortSignal` at a fraction of its cost.
 */
export const undiciSend = (dispatcher: Dispatcher): WireSend => (request, headers) => {
  const { origin, path } = splitUrl(request.url)
  const abandon = new EventEmitter()
  const answer = dispatcher.request({
    origin,
    path: request.query === "" ? path : path + request.query,
    method: request.method,
    headers,
    body: request.body ?? null,
    signal: abandon
  }).then((response): WireAnswer => ({
    status: response.statusCode,
    headers: () => headerRecord(response.headers),
    text: () => textOf(response)
  }))
  return { answer, abort: () => abandon.emit("abort") }
}

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
