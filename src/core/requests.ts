/**
 * Plain descriptions of the client's requests (method, URL, query parameters, a text
 * body and its content type), which each Effect major turns into its own request: a
 * `WireRequest` for Effect 3, an `HttpClientRequest` for Effect 4. Written once so both
 * send the same bytes. Streamed bodies (the dbt upload, a manifest) stay per major.
 *
 * @since 0.2.0
 */
import { CHECK_ARTIFACTS_PATH, pathFor, RUNS_PATH, runsQueryParams } from "./apiPaths.ts"

/**
 * A request with a text body (or none), as data.
 *
 * @since 0.2.0
 * @category models
 */
export interface RequestDescription {
  readonly method: "GET" | "POST"
  /** The URL without its query: what messages name. */
  readonly url: string
  /** The query parameters, in order; empty for none. */
  readonly params: Readonly<Record<string, string>>
  /** The text body, or `undefined` for none. */
  readonly body: string | undefined
  /** The body's content type: `application/json` when left out. */
  readonly contentType?: string | undefined
}

/**
 * The content type of a form body.
 *
 * @since 0.2.0
 * @category models
 */
export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"

/**
 * A JSON POST of an already encoded body (the trigger, the diffs upload).
 *
 * @since 0.2.0
 * @category requests
 */
export const jsonPost = (url: string, body: string): RequestDescription => ({ method: "POST", url, params: {}, body })

/**
 * `GET /api/v1/ci/{id}/runs` with the given filters.
 *
 * @since 0.2.0
 * @category requests
 */
export const runsDescription = (
  host: string,
  ciConfigId: number,
  query: Parameters<typeof runsQueryParams>[0]
): RequestDescription => ({
  method: "GET",
  url: `${host}${pathFor(RUNS_PATH, ciConfigId)}`,
  params: runsQueryParams(query),
  body: undefined
})

/**
 * `POST /api/v1/dbt/post_upload_check_artifacts/{id}`: a form, as the SDK sends it.
 *
 * @since 0.2.0
 * @category requests
 */
export const artifactsCheckDescription = (
  host: string,
  ciConfigId: number,
  check: { readonly commitSha: string; readonly runType: string; readonly branch: string }
): RequestDescription => ({
  method: "POST",
  url: `${host}${pathFor(CHECK_ARTIFACTS_PATH, ciConfigId)}`,
  params: {},
  body: new URLSearchParams({ commit_sha: check.commitSha, run_type: check.runType, branch: check.branch })
    .toString(),
  contentType: FORM_CONTENT_TYPE
})
