/**
 * The trigger operation's types for `openapi-fetch`, written by hand from the spec
 * (`POST /api/v1/ci/{ci_config_id}/trigger`, `APIPrDetails` in, `SubmitCiJob` or
 * `HTTPValidationError` out) in the shape `openapi-typescript` generates, so the peer
 * client is as typed as a generated one without a generation step in the bench.
 */

/** `APIPrDetails`: the five required fields. */
interface ApiPrDetails {
  pr_number: number
  pr_branch: string
  base_branch: string
  pr_sha: string
  base_sha: string
}

/** `SubmitCiJob`: both ids may be null. */
interface SubmitCiJob {
  ci_run_id?: number | null
  run_id?: number | null
}

/** `HTTPValidationError`, FastAPI's 422 body. */
interface HttpValidationError {
  detail?: Array<{ loc: Array<string | number>; msg: string; type: string }>
}

/** The paths object `createClient<TriggerPaths>` is typed from: the trigger operation only. */
export interface TriggerPaths {
  "/api/v1/ci/{ci_config_id}/trigger": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never }
    get?: never
    put?: never
    post: {
      parameters: { query?: never; header?: never; path: { ci_config_id: number }; cookie?: never }
      requestBody: { content: { "application/json": ApiPrDetails } }
      responses: {
        200: { headers: { [name: string]: unknown }; content: { "application/json": SubmitCiJob } }
        422: { headers: { [name: string]: unknown }; content: { "application/json": HttpValidationError } }
      }
    }
    delete?: never
    options?: never
    head?: never
    patch?: never
    trace?: never
  }
}
