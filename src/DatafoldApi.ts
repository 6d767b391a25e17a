/**
 * The Datafold CI API, described once. The client's paths and schemas, the local
 * Datafold-compatible server and the OpenAPI document all come from this definition.
 *
 * @since 0.1.0
 */
import * as HttpApi from "@effect/platform/HttpApi"
import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import type * as HttpApiError from "@effect/platform/HttpApiError"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import type * as HttpRouter from "@effect/platform/HttpRouter"
import * as OpenApi from "@effect/platform/OpenApi"
import type * as Effect from "effect/Effect"
import type * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import { RUNS_PATH, TRIGGER_PATH, UPLOAD_PATH } from "./core/apiPaths.ts"
import { ApiCiDiffs } from "./CiDiff.ts"
import { type CiRun, CiRuns, ListRunsQuery } from "./CiRun.ts"
import type { ClassBase } from "./schemaClass.ts"
import { ApiPrDetails } from "./PrDetails.ts"
import { SubmitCiJob } from "./SubmitCiJob.ts"
import { HttpValidationError } from "./ValidationError.ts"

/**
 * The `{ci_config_id}` path parameter: an integer in the URL.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CiConfigIdParam: Schema.Struct<{
  ci_config_id: Schema.filter<Schema.transform<Schema.SchemaClass<string>, typeof Schema.NumberFromString>>
}> = Schema.Struct({
  // The URL carries a string; the annotation documents it as the spec does, an integer.
  ci_config_id: Schema.compose(
    Schema.String.annotations({ jsonSchema: { type: "integer", title: "CI config id" } }),
    Schema.NumberFromString
  ).pipe(Schema.int())
})

/**
 * The path parameters of "upload PR/MR changes": the CI config id and the PR number,
 * both integers in the URL.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UploadPathParams: Schema.Struct<{
  ci_config_id: Schema.filter<Schema.transform<Schema.SchemaClass<string>, typeof Schema.NumberFromString>>
  pr_num: Schema.filter<Schema.transform<Schema.SchemaClass<string>, typeof Schema.NumberFromString>>
}> = Schema.Struct({
  ...CiConfigIdParam.fields,
  pr_num: Schema.compose(
    Schema.String.annotations({ jsonSchema: { type: "integer", title: "Pr Num" } }),
    Schema.NumberFromString
  ).pipe(Schema.int())
})

// Literal details keep the three `{ detail }` answers apart when the server encodes errors:
// a union of look-alike classes would otherwise send every one with the first one's status.
const NotAuthenticatedBase: ClassBase<NotAuthenticated, { detail: Schema.Literal<["Not authenticated"]> }> = Schema
  .Class<NotAuthenticated>("NotAuthenticated")(
    { detail: Schema.Literal("Not authenticated") },
    HttpApiSchema.annotations({ status: 401 })
  )

/**
 * FastAPI's answer to a request without valid credentials: `detail` is a string.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotAuthenticated extends NotAuthenticatedBase {}

const ForbiddenBase: ClassBase<Forbidden, { detail: Schema.Literal<["Invalid API key"]> }> = Schema.Class<Forbidden>(
  "Forbidden"
)(
  { detail: Schema.Literal("Invalid API key") },
  HttpApiSchema.annotations({ status: 403 })
)

/**
 * The answer to a request whose key is not accepted.
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends ForbiddenBase {}

const CiConfigNotFoundBase: ClassBase<CiConfigNotFound, { detail: Schema.Literal<["Not Found"]> }> = Schema.Class<
  CiConfigNotFound
>("CiConfigNotFound")(
  { detail: Schema.Literal("Not Found") },
  HttpApiSchema.annotations({ status: 404 })
)

/**
 * FastAPI's answer for an unknown CI configuration.
 *
 * @example
 * ```ts
 * import { FetchHttpClient, HttpApiClient } from "@effect/platform"
 * import { Effect } from "effect"
 * import { CiConfigNotFound, DatafoldApi, Forbidden, NotAuthenticated } from "effect-datafold/api"
 *
 * type Refused = NotAuthenticated | Forbidden | CiConfigNotFound
 * const isRefused = (error: unknown): error is Refused =>
 *   error instanceof NotAuthenticated || error instanceof Forbidden || error instanceof CiConfigNotFound
 *
 * // The derived client decodes Datafold's 401, 403 and 404 answers into these classes
 * const program = Effect.gen(function* () {
 *   const api = yield* HttpApiClient.make(DatafoldApi, { baseUrl: "https://app.datafold.com" })
 *   const runs = yield* api.CI.listRuns({ path: { ci_config_id: 1234 }, urlParams: {} })
 *   return `${runs.length} run(s)`
 * }).pipe(Effect.catchIf(isRefused, (error) => Effect.succeed(`refused: ${error.detail}`)))
 *
 * console.log(await Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer))))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class CiConfigNotFound extends CiConfigNotFoundBase {}

const ApiKeyAuthBase: HttpApiMiddleware.TagClass.BaseSecurity<
  ApiKeyAuth,
  "ApiKeyAuth",
  {
    readonly failure: Schema.Union<[typeof NotAuthenticated, typeof Forbidden]>
    readonly security: { readonly ApiKeyAuth: HttpApiSecurity.ApiKey }
  },
  {
    readonly ApiKeyAuth: (
      _: Redacted.Redacted<string>
    ) => Effect.Effect<void, NotAuthenticated | Forbidden, HttpRouter.HttpRouter.Provided>
  },
  { readonly ApiKeyAuth: HttpApiSecurity.ApiKey }
> = HttpApiMiddleware.Tag<ApiKeyAuth>()("ApiKeyAuth", {
  failure: Schema.Union(NotAuthenticated, Forbidden),
  security: {
    ApiKeyAuth: HttpApiSecurity.apiKey({ key: "Authorization", in: "header" }).pipe(
      HttpApiSecurity.annotate(OpenApi.Description, "Use the 'Authorization' header with the format 'Key <api-key>'")
    )
  }
})

/**
 * The `Authorization: Key <api-key>` scheme, named `ApiKeyAuth` as in Datafold's spec.
 *
 * @since 0.1.0
 * @category security
 */
export class ApiKeyAuth extends ApiKeyAuthBase {}

/**
 * `POST /api/v1/ci/{ci_config_id}/trigger`: start a PR/MR run.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const triggerEndpoint: HttpApiEndpoint.HttpApiEndpoint<
  "trigger",
  "POST",
  typeof CiConfigIdParam.Type,
  never,
  ApiPrDetails,
  never,
  SubmitCiJob,
  HttpValidationError
> = HttpApiEndpoint.post("trigger", TRIGGER_PATH)
  .setPath(CiConfigIdParam)
  .setPayload(ApiPrDetails)
  .addSuccess(SubmitCiJob)
  .addError(HttpValidationError, { status: 422 })
  .annotate(OpenApi.Summary, "Trigger a PR/MR run")
  .annotate(OpenApi.Identifier, "trigger_ci_api_v1_ci__ci_config_id__trigger_post")

/**
 * `GET /api/v1/ci/{ci_config_id}/runs`: list the CI runs of a configuration.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const listRunsEndpoint: HttpApiEndpoint.HttpApiEndpoint<
  "listRuns",
  "GET",
  typeof CiConfigIdParam.Type,
  ListRunsQuery,
  never,
  never,
  ReadonlyArray<CiRun>,
  HttpValidationError
> = HttpApiEndpoint.get("listRuns", RUNS_PATH)
  .setPath(CiConfigIdParam)
  .setUrlParams(ListRunsQuery)
  .addSuccess(CiRuns)
  .addError(HttpValidationError, { status: 422 })
  .annotate(OpenApi.Summary, "List CI runs")

/**
 * `POST /api/v1/ci/{ci_config_id}/{pr_num}`: upload PR/MR changes, the tables to diff,
 * to the run waiting for that pull request.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const uploadEndpoint: HttpApiEndpoint.HttpApiEndpoint<
  "upload",
  "POST",
  typeof UploadPathParams.Type,
  never,
  typeof ApiCiDiffs.Type,
  never,
  SubmitCiJob,
  HttpValidationError
> = HttpApiEndpoint.post("upload", UPLOAD_PATH)
  .setPath(UploadPathParams)
  .setPayload(ApiCiDiffs)
  .addSuccess(SubmitCiJob)
  .addError(HttpValidationError, { status: 422 })
  .annotate(OpenApi.Summary, "Upload PR/MR changes")

const CiGroupBase: HttpApiGroup.HttpApiGroup<
  "CI",
  typeof triggerEndpoint | typeof listRunsEndpoint | typeof uploadEndpoint,
  NotAuthenticated | Forbidden | CiConfigNotFound,
  ApiKeyAuth
> = HttpApiGroup.make("CI")
  .add(triggerEndpoint)
  .add(listRunsEndpoint)
  .add(uploadEndpoint)
  .addError(CiConfigNotFound)
  .middleware(ApiKeyAuth)

/**
 * The CI group of endpoints, behind {@link ApiKeyAuth}.
 *
 * @since 0.1.0
 * @category groups
 */
export class CiGroup extends CiGroupBase {}

const DatafoldApiBase: HttpApi.HttpApi<"DatafoldApi", typeof CiGroup, HttpApiError.HttpApiDecodeError> = HttpApi.make(
  "DatafoldApi"
)
  .add(CiGroup)
  .annotate(OpenApi.Title, "Datafold API")

/**
 * The Datafold CI API.
 *
 * @example
 * ```ts
 * import { FetchHttpClient, HttpApiClient, HttpClient, HttpClientRequest, OpenApi } from "@effect/platform"
 * import { Effect } from "effect"
 * import { DatafoldApi } from "effect-datafold/api"
 *
 * // The OpenAPI document of the endpoints this package calls
 * console.log(JSON.stringify(OpenApi.fromApi(DatafoldApi), null, 2))
 *
 * // A client derived from the definition, the key added to each request
 * const program = Effect.gen(function* () {
 *   const api = yield* HttpApiClient.make(DatafoldApi, {
 *     baseUrl: "https://app.datafold.com",
 *     transformClient: HttpClient.mapRequest(
 *       HttpClientRequest.setHeader("authorization", `Key ${process.env.DATAFOLD_API_KEY ?? ""}`)
 *     )
 *   })
 *   const runs = yield* api.CI.listRuns({ path: { ci_config_id: 1234 }, urlParams: { pr_num: "42" } })
 *   console.log(runs.map((run) => run.status))
 * })
 *
 * await Effect.runPromise(program.pipe(Effect.provide(FetchHttpClient.layer)))
 * ```
 *
 * @since 0.1.0
 * @category api
 */
export class DatafoldApi extends DatafoldApiBase {}
