/**
 * `effect-datafold/api`: what builds on `@effect/platform`, which the main entry does not
 * need: the Datafold CI API described declaratively with its `HttpApi` (endpoints,
 * schemas, security), for deriving an OpenAPI document or an `HttpApiClient`, and behind
 * the local test server; and the client and data-diffs service over an `HttpClient` of your
 * own (`clientLayer`, `clientLayerConfig`, `makeClient`, `dataDiffsLayer`,
 * `dataDiffsLayerConfig`, `makeDataDiffs`, with `transformClient` in `HttpClientOptions`).
 *
 * @since 0.2.0
 */
export {
  ApiKeyAuth,
  CiConfigIdParam,
  CiConfigNotFound,
  CiGroup,
  DatafoldApi,
  Forbidden,
  listRunsEndpoint,
  NotAuthenticated,
  triggerEndpoint,
  uploadEndpoint,
  UploadPathParams
} from "./DatafoldApi.ts"
export {
  clientLayer,
  clientLayerConfig,
  dataDiffsLayer,
  dataDiffsLayerConfig,
  makeClient,
  makeDataDiffs
} from "./DatafoldHttpClient.ts"
export { type HttpClientOptions } from "./HttpClientOptions.ts"
