/**
 * `effect-datafold/api`: the Datafold CI API described declaratively with
 * `@effect/platform`'s `HttpApi` (endpoints, schemas, security), for deriving an OpenAPI
 * document or an `HttpApiClient`, and behind the local test server. It needs
 * `@effect/platform`, which the main entry does not.
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
