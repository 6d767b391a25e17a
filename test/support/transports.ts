/**
 * Every transport the client runs on, for the suites that must hold on each: the
 * portable default (the library's `fetch` wire), the Node layer (undici's dispatcher),
 * and a user's own `HttpClient` (`@effect/platform`'s `FetchHttpClient`), which takes the
 * general path; and the `node:http` wire the `datafold-ci` CLI sends over. Used with
 * `describe.each(transports)` (or `describe.each(everyTransport)`).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as FetchTransport from "../../src/internal/fetchTransport.ts"
import { nodeHttpSend } from "../../src/internal/nodeHttpTransport.ts"
import { withWire } from "../../src/internal/wire.ts"
import * as DatafoldNode from "../../src/node.ts"

/** A transport under test. */
export interface Transport {
  readonly name: string
  readonly layer: Layer.Layer<HttpClient.HttpClient>
}

/** The portable default: the library's `fetch` wire. */
export const fetchWire: Transport = { name: "fetch (the default)", layer: FetchTransport.layer }

/** `effect-datafold/node`: undici's dispatcher. */
export const undiciWire: Transport = { name: "effect-datafold/node (undici)", layer: DatafoldNode.layer }

/** A user's own `HttpClient` (`FetchHttpClient`), which takes the general path. */
export const userHttpClient: Transport = {
  name: "a user's HttpClient (FetchHttpClient, general path)",
  layer: FetchHttpClient.layer
}

/** The transports the library ships, and a user's generic `HttpClient`. */
export const transports: ReadonlyArray<Transport> = [fetchWire, undiciWire, userHttpClient]

/**
 * The CLI's wire (`nodeHttpSend`) on a client marked with it, so the client's calls go
 * over the wire exactly as the CLI's do; the marked client (`NodeHttpClient`) is never
 * used by them.
 */
export const nodeHttpWire: Transport = {
  name: "node:http (the CLI's wire)",
  layer: Layer.effect(
    HttpClient.HttpClient,
    Effect.map(HttpClient.HttpClient, (client) => withWire(client, nodeHttpSend))
  ).pipe(Layer.provide(NodeHttpClient.layer))
}

/** {@link transports} and the CLI's wire: for the suites cheap enough to run on all four. */
export const everyTransport: ReadonlyArray<Transport> = [...transports, nodeHttpWire]
