/**
 * Every transport the client runs on, for the suites that must hold on each: the
 * portable default (the library's `fetch` wire), the Node layer (undici's dispatcher),
 * and a user's own `HttpClient` (`@effect/platform`'s `FetchHttpClient`), which takes the
 * general path. Used with `describe.each(transports)`.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import * as FetchTransport from "../../src/internal/fetchTransport.ts"
import * as DatafoldNode from "../../src/node.ts"

/** A transport under test. */
export interface Transport {
  readonly name: string
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

/** The transports the library ships, and a user's generic `HttpClient`. */
export const transports: ReadonlyArray<Transport> = [
  { name: "fetch (the default)", layer: FetchTransport.layer },
  { name: "effect-datafold/node (undici)", layer: DatafoldNode.layer },
  { name: "a user's HttpClient (FetchHttpClient, general path)", layer: FetchHttpClient.layer }
]
