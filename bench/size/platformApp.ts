/**
 * Size probe, the baseline: the same POST with only `effect` and `@effect/platform`'s
 * `HttpClient` over `FetchHttpClient`, no schemas, no typed errors, no retries.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Effect from "effect/Effect"

const program = Effect.flatMap(HttpClient.HttpClient, (client) =>
  client.execute(
    HttpClientRequest.post("https://app.datafold.com/api/v1/ci/1/trigger").pipe(
      HttpClientRequest.setHeaders({ authorization: `Key ${globalThis.process?.env?.DATAFOLD_API_KEY ?? ""}` }),
      HttpClientRequest.bodyText(
        JSON.stringify({
          pr_number: 1,
          pr_branch: "feature",
          base_branch: "main",
          pr_sha: "0123456789abcdef0123456789abcdef01234567",
          base_sha: "89abcdef0123456789abcdef0123456789abcdef"
        }),
        "application/json"
      )
    )
  ).pipe(Effect.flatMap((response) => response.json)))

Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer))).then(console.log, console.error)
