/**
 * A client over the `HttpClient` in context: the constructor behind
 * `effect-datafold/api`'s `makeClient`, `clientLayer` and `clientLayerConfig`. The library's own transports are recognised by their wire
 * and sent over it; any other `HttpClient` (or a `transformClient` hook) takes the general
 * path. Loaded only when such a layer is built, since it needs `@effect/platform`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import { resolveOptions } from "../DatafoldConfig.ts"
import type { HttpClientOptions } from "../HttpClientOptions.ts"
import type { DatafoldClientService } from "../DatafoldClientService.ts"
import { authorizedClient } from "./authorizedClient.ts"
import { makeService } from "./makeService.ts"
import { sendOverClient } from "./sendOverClient.ts"
import { wireOf } from "./wire.ts"

/** A client from options over the `HttpClient` in context. */
export const makeOverHttpClient = (
  options: HttpClientOptions
): Effect.Effect<DatafoldClientService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const settings = yield* resolveOptions(options)
    const baseClient = yield* HttpClient.HttpClient
    // A user's transformClient is honoured by the general path; else the library's own
    // transport (the default fetch, the Node layer) sends straight over its wire.
    const wire = options.transformClient === undefined ? wireOf(baseClient) : undefined
    if (wire !== undefined) return makeService(settings, { _tag: "Wire", wire })
    const transform = options.transformClient ?? identity
    return makeService(settings, {
      _tag: "Send",
      sendFor: (headers, scrub) => sendOverClient(transform(authorizedClient(baseClient, headers)), scrub)
    })
  })
