/**
 * The portable transport: the runtime's `fetch`, as a wire for the client's own calls and
 * as `@effect/platform`'s `FetchHttpClient` for everything else done with the same
 * `HttpClient`. What `DatafoldClient.Default` runs on.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { readCappedWebText } from "./responseBody.ts"
import { type WireAnswer, type WireSend, withWire } from "./wire.ts"

/**
 * One request with `fetch`. Redirects are answered, never followed, so the key cannot
 * travel to another origin. The `fetch` is looked up at each call, so a runtime or test
 * that replaces the global one is honoured.
 */
export const fetchSend: WireSend = (request, headers) => {
  const controller = new AbortController()
  const answer = fetch(request.query === "" ? request.url : request.url + request.query, {
    method: request.method,
    headers,
    body: request.body ?? null,
    redirect: "manual",
    signal: controller.signal
  }).then((response): WireAnswer => ({
    status: response.status,
    headers: () => Object.fromEntries(response.headers),
    text: () => readCappedWebText(response)
  }))
  return { answer, abort: () => controller.abort() }
}

/**
 * `FetchHttpClient`'s client, marked to send the client's own calls over
 * {@link fetchSend}: one promise chain per attempt instead of the `HttpClient` pipeline.
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(HttpClient.HttpClient, (client) => withWire(client, fetchSend))
).pipe(Layer.provide(FetchHttpClient.layer))
