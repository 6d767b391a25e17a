/**
 * The local server's API handler in Effect 3, built from the declarative `DatafoldApi`
 * with `HttpApiBuilder`: the "one definition, three uses" side of the local server. It
 * needs `@effect/platform`, so `startLocalDatafoldServer` loads it when a server starts.
 *
 * @since 0.2.0
 */
import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { CiRun } from "../CiRun.ts"
import { ApiKeyAuth, CiConfigNotFound, DatafoldApi, Forbidden, NotAuthenticated } from "../DatafoldApi.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import { fastApiProblems, jsonInvalidBody } from "./fastApiValidation.ts"
import type { ApiHandler } from "./frontDoor.ts"
import {
  attachDiffs,
  checkAuthorization,
  createRun,
  isKnownConfig,
  listRuns,
  noRunWaitingDetail,
  type ServerState
} from "./serverState.ts"

const issueToFastApi = (
  issue: { readonly _tag: string; readonly path: ReadonlyArray<PropertyKey>; readonly message: string }
) => ({
  type: issue._tag === "Missing" ? "missing" : issue._tag === "Unexpected" ? "extra_forbidden" : "invalid",
  loc: ["body", ...issue.path.map((key) => (typeof key === "number" ? key : String(key)))],
  msg: issue._tag === "Missing" ? "Field required" : issue.message
})

const jsonInvalid = () => HttpServerResponse.text(jsonInvalidBody, { status: 422, contentType: "application/json" })

/**
 * FastAPI answers a request it cannot decode with 422, not 400, listing every problem in
 * path, query and body: do the same. The platform stops at the first part that fails,
 * so the whole request is checked again here to report them all, FastAPI's way.
 */
const fastApiValidation = HttpApiBuilder.middleware((app) =>
  app.pipe(
    Effect.catchAllCause((cause) => {
      const failure = Option.getOrUndefined(Cause.failureOption(cause)) as { readonly _tag?: string } | undefined
      if (failure?._tag === "HttpApiDecodeError") {
        const decodeError = failure as HttpApiError.HttpApiDecodeError
        return Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const text = request.method === "GET" ? "" : yield* Effect.orElseSucceed(request.text, () => "")
          const items = fastApiProblems(request.method, request.url, text, request.headers["content-type"])
          // The platform refused something the FastAPI rules above accept: still answer, its way.
          const detail = items === undefined || items.length === 0 ? decodeError.issues.map(issueToFastApi) : items
          return yield* HttpServerResponse.json({ detail }, { status: 422 })
        }).pipe(Effect.orDie)
      }
      if (failure?._tag === "RequestError") return jsonInvalid()
      return Effect.failCause(cause)
    })
  )
)

const apiLayer = (state: ServerState) => {
  const auth = Layer.succeed(
    ApiKeyAuth,
    ApiKeyAuth.of({
      ApiKeyAuth: (header) => {
        switch (checkAuthorization(state, Redacted.value(header))) {
          case "missing":
            return Effect.fail(new NotAuthenticated({ detail: "Not authenticated" }))
          case "wrong":
            return Effect.fail(new Forbidden({ detail: "Invalid API key" }))
          case "ok":
            return Effect.void
        }
      }
    })
  )
  const knownConfig = (id: number) =>
    isKnownConfig(state, id) ? Effect.void : Effect.fail(new CiConfigNotFound({ detail: "Not Found" }))
  const ci = HttpApiBuilder.group(DatafoldApi, "CI", (handlers) =>
    handlers
      .handle("trigger", ({ path, payload }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.sync(() => new SubmitCiJob(createRun(state, path.ci_config_id, payload)))
        ))
      .handle("listRuns", ({ path, urlParams }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.sync(() => listRuns(state, path.ci_config_id, urlParams).map((run) => new CiRun(run)))
        ))
      .handle("upload", ({ path, payload }) =>
        Effect.zipRight(
          knownConfig(path.ci_config_id),
          Effect.suspend(() => {
            const job = attachDiffs(state, path.ci_config_id, path.pr_num, payload)
            if (job !== undefined) return Effect.succeed(new SubmitCiJob(job))
            // Datafold does not document this answer, so it stays out of the API definition;
            // the builder sends a response that a handler returns as it is.
            const noRun = HttpServerResponse.unsafeJson(
              { detail: noRunWaitingDetail(path.pr_num) },
              { status: 404 }
            )
            return Effect.succeed(noRun as unknown as SubmitCiJob)
          })
        )))
  return Layer.mergeAll(
    HttpApiBuilder.api(DatafoldApi).pipe(Layer.provide(ci), Layer.provide(auth)),
    fastApiValidation,
    HttpServer.layerContext
  )
}

/**
 * The API handler over a server's state, built from `DatafoldApi`.
 *
 * @since 0.2.0
 * @category constructors
 */
export const declarativeApiHandler = (state: ServerState): ApiHandler => {
  const web = HttpApiBuilder.toWebHandler(apiLayer(state))
  return { handle: (request) => web.handler(request), dispose: () => web.dispose() }
}
