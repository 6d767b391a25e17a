/**
 * The Effect 4 `HttpClient` every call goes through: the key and the fixed headers on
 * each request, no platform HTTP span, and redirects answered rather than followed.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import { fixedHeaders } from "../../core/requestHeaders.ts"

/** `client` with `Authorization: <authorization>`, JSON accepted, and redirects not followed. */
export const authorizedClient = (client: HttpClient.HttpClient, authorization: string): HttpClient.HttpClient =>
  client.pipe(
    HttpClient.mapRequest(HttpClientRequest.setHeaders(fixedHeaders(authorization))),
    HttpClient.transform((effect) =>
      effect.pipe(
        // The attempt span replaces the platform's HTTP span, which records every response
        // header verbatim (a server could echo the key into one).
        Effect.provideService(HttpClient.TracerDisabledWhen, () => true),
        // Redirects are answered, never followed, so the key cannot travel to another origin.
        Effect.updateContext((context: Context.Context<never>) =>
          Context.add(context, FetchHttpClient.RequestInit, {
            ...Context.getOrUndefined(context, FetchHttpClient.RequestInit),
            redirect: "manual"
          })
        )
      )
    )
  )
