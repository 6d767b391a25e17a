/**
 * The text each Datafold error's `message` shows, built from its fields: what happened
 * and what to do. Both Effect majors' error classes call these, so a message reads the
 * same whichever entry raised it.
 *
 * @since 0.1.0
 */
import type { NetworkFailureReason } from "./networkFailure.ts"

const suffix = (detail: string): string => (detail.length > 0 ? `: ${detail}` : "")

/** The host of a URL, for messages; the text itself when it is not a URL. */
const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * `DatafoldInputError`: every refused field, then what to do.
 *
 * @since 0.1.0
 * @category messages
 */
export const inputErrorMessage = (
  issues: ReadonlyArray<{ readonly field: string; readonly problem: string }>
): string => {
  const list = issues.map((issue) => `${issue.field} ${issue.problem}`).join("; ")
  return `Refused before sending anything: ${list}. Correct ${
    issues.length === 1 ? "this value" : "these values"
  } and try again.`
}

/**
 * `DatafoldAuthError`: a 401 or 403.
 *
 * @since 0.1.0
 * @category messages
 */
export const authErrorMessage = (
  error: { readonly status: number; readonly url: string; readonly detail: string }
): string => {
  const verb = error.status === 403 ? "refused (403 Forbidden)" : "did not accept (401 Unauthorized)"
  return `Datafold ${verb} the API key for ${error.url}${suffix(error.detail)}. ` +
    `Check that DATAFOLD_API_KEY holds a current key for this Datafold instance ` +
    `(a service-account key is best for CI) and that DATAFOLD_HOST points at it.`
}

/**
 * `DatafoldNotFoundError`: a 404.
 *
 * @since 0.1.0
 * @category messages
 */
export const notFoundErrorMessage = (error: { readonly url: string; readonly detail: string }): string =>
  `Datafold answered 404 Not Found for ${error.url}${suffix(error.detail)}. ` +
  `Most often the CI config id is wrong (see Settings → CI in Datafold) ` +
  `or DATAFOLD_HOST points at another Datafold instance.`

/**
 * `DatafoldValidationError`: a 422, its FastAPI items or else its raw text.
 *
 * @since 0.1.0
 * @category messages
 */
export const validationErrorMessage = (error: {
  readonly url: string
  readonly detail: ReadonlyArray<{ readonly loc: ReadonlyArray<string | number>; readonly msg: string }>
  readonly rawMessage?: string | undefined
}): string => {
  const items = error.detail.map((item) => `${item.loc.join(".")}: ${item.msg}`).join("; ")
  const what = items.length > 0 ? items : error.rawMessage ?? "no detail given"
  return `Datafold rejected the request to ${error.url} (422 Unprocessable Entity): ${what}. ` +
    `Correct the named fields and try again.`
}

/**
 * `DatafoldRateLimitError`: a 429, with the server's `Retry-After` when it sent one.
 *
 * @since 0.1.0
 * @category messages
 */
export const rateLimitErrorMessage = (
  error: { readonly url: string; readonly retryAfterMillis?: number | undefined }
): string => {
  const wait = error.retryAfterMillis === undefined ? "a while" : `${Math.ceil(error.retryAfterMillis / 1000)} s`
  return `Datafold is rate limiting requests to ${error.url} (429 Too Many Requests). ` +
    `Wait ${wait} and try again, or lower how often this pipeline triggers runs.`
}

/**
 * `DatafoldServerError`: a 5xx.
 *
 * @since 0.1.0
 * @category messages
 */
export const serverErrorMessage = (
  error: { readonly status: number; readonly url: string; readonly detail: string }
): string =>
  `Datafold answered ${error.status} for ${error.url}${suffix(error.detail)}. ` +
  `This is on Datafold's side: try again shortly; if it persists, check Datafold's status page or contact support.`

/**
 * `DatafoldRejectedError`: another 4xx.
 *
 * @since 0.1.0
 * @category messages
 */
export const rejectedErrorMessage = (
  error: { readonly status: number; readonly url: string; readonly detail: string }
): string =>
  `Datafold refused the request to ${error.url} with status ${error.status}${suffix(error.detail)}. ` +
  `Check the request against Datafold's API documentation and this client's version.`

/**
 * `DatafoldNetworkError`: one text per reason.
 *
 * @since 0.1.0
 * @category messages
 */
export const networkErrorMessage = (
  error: { readonly reason: NetworkFailureReason; readonly url: string; readonly detail: string }
): string => {
  const host = hostOf(error.url)
  switch (error.reason) {
    case "ConnectionRefused":
      return `Could not connect to ${host}: the connection was refused (${error.detail}). ` +
        `Check DATAFOLD_HOST and that the server is up.`
    case "HostNotFound":
      return `Could not find the host ${host} (${error.detail}). Check DATAFOLD_HOST for a typo, and the runner's DNS.`
    case "ConnectionReset":
      return `The connection to ${host} was closed before the answer arrived (${error.detail}). ` +
        `The request may have reached Datafold; check for the run before triggering again.`
    case "Timeout":
      return `${error.detail} waiting for ${host}. ` +
        `Raise the timeout (DATAFOLD_TIMEOUT, --timeout) or check the network between the runner and Datafold.`
    case "Tls":
      return `The TLS connection to ${host} failed (${error.detail}). ` +
        `Check DATAFOLD_HOST and the runner's CA certificates (NODE_EXTRA_CA_CERTS for a private CA).`
    case "PermissionDenied":
      return `The runtime does not allow network access to ${host} (${error.detail}). ` +
        `On Deno, add it to the permissions: --allow-net=${host}.`
    case "Other":
      return `The request to ${host} failed on the network (${error.detail}). Check the runner's network and try again.`
  }
}

/**
 * `DatafoldResponseError`: an answer that cannot be used.
 *
 * @since 0.1.0
 * @category messages
 */
export const responseErrorMessage = (
  error: { readonly status: number; readonly url: string; readonly problem: string; readonly excerpt: string }
): string => {
  const body = error.excerpt.length > 0 ? ` Body begins: ${JSON.stringify(error.excerpt)}.` : ""
  return `Datafold's answer to ${error.url} could not be used (status ${error.status}): ${error.problem}.${body} ` +
    `A proxy or gateway may be answering instead of Datafold: check DATAFOLD_HOST.`
}

/**
 * `DatafoldNoRunWaitingError`: an upload that found no run to attach to.
 *
 * @since 0.1.0
 * @category messages
 */
export const noRunWaitingErrorMessage = (error: {
  readonly ciConfigId: number
  readonly prNumber: number
  readonly status: number
  readonly detail: string
}): string => {
  const said = error.detail.length > 0 ? `: ${JSON.stringify(error.detail)}` : ""
  const answer = error.status === 200 ? "returned no run ids" : `answered ${error.status}${said}`
  return `Datafold has no CI run waiting for PR #${error.prNumber} of CI config ${error.ciConfigId} ` +
    `(it ${answer}), so the diffs were not attached. Trigger a run first ` +
    `(datafold-ci trigger, or trigger --diffs to do both), then upload again; ` +
    `if a run exists, check the CI config id, the PR number and DATAFOLD_HOST.`
}

/**
 * The detail of a timeout: the per-attempt limit, or the overall deadline when that
 * came first. Durations are given formatted (`150ms`, `2m`).
 *
 * @since 0.1.0
 * @category messages
 */
export const timeoutDetail = (which: "attempt" | "deadline", formatted: string): string =>
  which === "deadline" ? `Gave up after the overall deadline of ${formatted}` : `No answer within ${formatted}`

/**
 * A last attempt's timeout restated as the deadline's: the deadline is what ended the
 * call, however late the timer fired.
 *
 * @since 0.1.0
 * @category messages
 */
export const deadlineEndedDetail = (deadline: string, lastAttempt: string): string =>
  `Gave up after the overall deadline of ${deadline} (the last attempt: ${
    lastAttempt.charAt(0).toLowerCase() + lastAttempt.slice(1)
  })`

/**
 * The deadline ran out while the trigger looked for the run an earlier attempt may have
 * started.
 *
 * @since 0.1.0
 * @category messages
 */
export const lookupDeadlineDetail = (deadline: string): string =>
  `Gave up after the overall deadline of ${deadline} while waiting for Datafold to show the run an earlier attempt may have started`
