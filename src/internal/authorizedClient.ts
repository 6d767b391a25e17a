/**
 * The `HttpClient` every call goes through: the key and the fixed headers on each
 * request, no platform HTTP span, and redirects answered rather than followed.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"

/** `client` with the fixed headers (`core/requestHeaders.ts`), and redirects not followed. */
export const authorizedClient = (
  client: HttpClient.HttpClient,
  headers: Readonly<Record<string, string>>
): HttpClient.HttpClient =>
  client.pipe(
    HttpClient.mapRequest(HttpClientRequest.setHeaders(headers)),
    // The attempt span replaces the platform's HTTP span (see `makeAttempt`).
    HttpClient.withTracerDisabledWhen(() => true),
    // Redirects are answered, never followed, so the key cannot travel to another origin;
    // a streamed body's attempt asks for "error" instead (core/redirectRefusal.ts).
    HttpClient.transform((effect) =>
      Effect.mapInputContext(
        effect,
        (context: Context.Context<never>) => {
          const init: RequestInit = Option.getOrElse(
            Context.getOption(context, FetchHttpClient.RequestInit),
            () => ({})
          )
          return Context.add(context, FetchHttpClient.RequestInit, {
            ...init,
            redirect: init.redirect === "error" ? "error" : "manual"
          })
        }
      )
    )
  )
