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
        // Redirects are answered, never followed, so the key cannot travel to another origin;
        // a streamed body's attempt asks for "error" instead (core/redirectRefusal.ts).
        Effect.updateContext((context: Context.Context<never>) => {
          const init = Context.getOrUndefined(context, FetchHttpClient.RequestInit)
          return Context.add(context, FetchHttpClient.RequestInit, {
            ...init,
            redirect: init?.redirect === "error" ? "error" : "manual"
          })
        })
      )
    )
  )
