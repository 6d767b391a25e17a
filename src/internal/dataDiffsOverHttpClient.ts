/**
 * The data-diffs service over the `HttpClient` in context, as `clientOverHttpClient.ts`
 * builds the client: the library's own transports by their wire, any other through the
 * general path. Loaded only when such a layer is built, since it needs `@effect/platform`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import type { DataDiffsService } from "../DataDiffsService.ts"
import { resolveOptions } from "../DatafoldConfig.ts"
import type { HttpClientOptions } from "../HttpClientOptions.ts"
import { authorizedClient } from "./authorizedClient.ts"
import { makeDataDiffsService } from "./dataDiffsService.ts"
import { sendOverClient } from "./sendOverClient.ts"
import { wireOf } from "./wire.ts"

/** The service from options over the `HttpClient` in context. */
export const makeDataDiffsOverHttpClient = (
  options: HttpClientOptions
): Effect.Effect<DataDiffsService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const settings = yield* resolveOptions(options)
    const baseClient = yield* HttpClient.HttpClient
    const wire = options.transformClient === undefined ? wireOf(baseClient) : undefined
    if (wire !== undefined) return makeDataDiffsService(settings, { _tag: "Wire", wire })
    const transform = options.transformClient ?? identity
    return makeDataDiffsService(settings, {
      _tag: "Send",
      sendFor: (headers, scrub) => sendOverClient(transform(authorizedClient(baseClient, headers)), scrub)
    })
  })
