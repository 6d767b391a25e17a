/**
 * How `trigger` and `submit` show the job Datafold answered with, and the request a dry
 * run would send.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import type { PreparedSubmit, PreparedTrigger } from "../../DatafoldClientService.ts"
import { SubmitCiJob } from "../../SubmitCiJob.ts"

// Built on first use, not at load: building an encoder costs start-up time.
let jobEncoder: ((job: SubmitCiJob) => unknown) | undefined

/** The job as its wire fields, for `--json`. */
export const encodeJob = (job: SubmitCiJob): Record<string, unknown> =>
  (jobEncoder ??= Schema.encodeSync(SubmitCiJob))(job) as Record<string, unknown>

/**
 * Which id is which: Datafold's CI run (`ci_run_id`, the one `runs` lists) and the
 * data-diff run it started (`run_id`).
 */
export const describeJob = (job: SubmitCiJob): string => {
  const { ci_run_id, run_id } = job
  if (ci_run_id === null && run_id === null) return "a Datafold CI run (Datafold returned no run id)"
  if (ci_run_id === null) return `a Datafold CI run (diff run ${run_id})`
  return run_id === null ? `Datafold CI run ${ci_run_id}` : `Datafold CI run ${ci_run_id} (diff run ${run_id})`
}

/** A request as text: request line, headers, blank line, body. */
export const httpLines = (request: PreparedTrigger | PreparedSubmit): ReadonlyArray<string> => [
  `${request.method} ${request.url}`,
  ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
  "",
  request.body
]

/** A request as JSON data, its body parsed. */
export const requestJson = (request: PreparedTrigger | PreparedSubmit) => ({
  method: request.method,
  url: request.url,
  headers: request.headers,
  body: JSON.parse(request.body) as unknown
})
