/**
 * The client under test: `DatafoldClient` built once in a `ManagedRuntime`, over the
 * transport `DatafoldClient.Default` provides (the library's fetch wire), `effect-datafold/node`,
 * or `@effect/platform-node`'s `NodeHttpClient.layerUndici` (loaded lazily, after Node's fetch
 * has pinned its own dispatcher: see `undiciModule.ts`).
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import { triggerCiRun } from "../src/DatafoldClient.ts"
import { clientLayer } from "../src/DatafoldHttpClient.ts"
import * as FetchTransport from "../src/internal/fetchTransport.ts"
import { loadNodeHttpClient } from "./undiciModule.ts"
import {
  BENCH_API_KEY,
  CI_CONFIG_ID,
  prDetailsFor,
  TRIGGER_HEADERS,
  triggerBodyFor,
  type TriggerCall,
  type TriggerResult,
  triggerUrl
} from "./workload.ts"

/**
 * Which `HttpClient` the client runs on: the one `DatafoldClient.Default` provides (the
 * library's fetch wire, the fast path), `@effect/platform-node`'s `NodeHttpClient.layerUndici` (the general path),
 * or `effect-datafold/node`'s layer (the library's own undici transport).
 */
export type Transport = "fetch" | "undici" | "node"

/** A built client and a function that sends one trigger through it. */
export interface ClientUnderTest {
  readonly trigger: TriggerCall
  readonly dispose: () => Promise<void>
}

const transportLayer = async (transport: Transport): Promise<Layer.Layer<HttpClient.HttpClient>> =>
  transport === "fetch" ? FetchTransport.layer : transport === "undici"
    ? (await loadNodeHttpClient()).layerUndici
    // Loads undici only when the layer is built, after Node's fetch has pinned its own agent.
    : (await import("../src/node.ts")).layer

/**
 * Build the client's layer once (`clientLayer` with the given host and default
 * timeouts and retries) and return a trigger that runs through that runtime.
 */
export const makeClientUnderTest = async (host: string, transport: Transport = "fetch"): Promise<ClientUnderTest> => {
  const runtime = ManagedRuntime.make(
    clientLayer({ apiKey: Redacted.make(BENCH_API_KEY), host }).pipe(
      Layer.provide(await transportLayer(transport))
    )
  )
  await runtime.runtime()
  return {
    trigger: (n) => runtime.runPromise(triggerCiRun(CI_CONFIG_ID, prDetailsFor(n))),
    dispose: () => runtime.dispose()
  }
}

/**
 * The floor of any client built on `@effect/platform`'s `FetchHttpClient`: the same POST
 * through `HttpClient.execute` and `response.json`, with its per-request span switched
 * off, and nothing else (no validation, decoding, timeouts, retries or typed errors).
 */
export const makeBarePlatformUnderTest = async (host: string): Promise<ClientUnderTest> => {
  const runtime = ManagedRuntime.make(FetchHttpClient.layer)
  await runtime.runtime()
  const request = HttpClientRequest.post(triggerUrl(host)).pipe(HttpClientRequest.setHeaders(TRIGGER_HEADERS))
  const send = (n: number) =>
    Effect.flatMap(
      HttpClient.HttpClient,
      (client) =>
        Effect.flatMap(
          HttpClient.withTracerDisabledWhen(client, () => true).execute(
            HttpClientRequest.bodyText(request, triggerBodyFor(n), "application/json")
          ),
          (response) => response.json
        )
    )
  return {
    trigger: (n) => runtime.runPromise(send(n)) as Promise<TriggerResult>,
    dispose: () => runtime.dispose()
  }
}
