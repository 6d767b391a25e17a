/**
 * The portable transport as an `HttpClient`: `@effect/platform`'s `FetchHttpClient`,
 * marked to send the client's own calls over the `fetch` wire (`fetchWire.ts`). For a
 * `DatafoldClient.layer` that should behave as `DatafoldClient.Default` does (the tests'
 * transports, the bench).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { fetchSend } from "./fetchWire.ts"
import { withWire } from "./wire.ts"

export { fetchSend }

/**
 * `FetchHttpClient`'s client, marked to send the client's own calls over
 * {@link fetchSend}: one promise chain per attempt instead of the `HttpClient` pipeline.
 */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.effect(
  HttpClient.HttpClient,
  Effect.map(HttpClient.HttpClient, (client) => withWire(client, fetchSend))
).pipe(Layer.provide(FetchHttpClient.layer))
