/**
 * Every failure a caller can act on, as data: one `Schema.TaggedError` per kind, grouped
 * in the {@link DatafoldError} union so `Effect.catchTags` reads naturally. Messages say
 * what happened and what to do. None of them ever holds the API key.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { ClassBase, TaggedErrorBase } from "./internal/schemaClass.ts"
import { ValidationErrorItem } from "./ValidationError.ts"

const InputIssueBase: ClassBase<InputIssue, {
  field: typeof Schema.String
  problem: typeof Schema.String
}> = Schema.Class<InputIssue>("InputIssue")({
  field: Schema.String,
  problem: Schema.String
})

/**
 * One field the client refused, named by its path (`pr_sha`, `ci_config_id`).
 *
 * @since 0.1.0
 * @category models
 */
export class InputIssue extends InputIssueBase {}

const DatafoldInputErrorBase: TaggedErrorBase<DatafoldInputError, "DatafoldInputError", {
  issues: Schema.Array$<typeof InputIssue>
}> = Schema.TaggedError<DatafoldInputError>()("DatafoldInputError", {
  issues: Schema.Array(InputIssue)
})

/**
 * The CI config id or the PR details failed validation. Nothing was sent.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldInputError extends DatafoldInputErrorBase {
  override get message(): string {
    const list = this.issues.map((issue) => `${issue.field} ${issue.problem}`).join("; ")
    return `Refused before sending anything: ${list}. Correct ${
      this.issues.length === 1 ? "this value" : "these values"
    } and try again.`
  }
}

const DatafoldAuthErrorBase: TaggedErrorBase<DatafoldAuthError, "DatafoldAuthError", {
  status: typeof Schema.Int
  url: typeof Schema.String
  detail: typeof Schema.String
}> = Schema.TaggedError<DatafoldAuthError>()("DatafoldAuthError", {
  status: Schema.Int,
  url: Schema.String,
  detail: Schema.String
})

/**
 * Datafold answered 401 or 403: the API key is missing, wrong, revoked, or belongs to
 * another Datafold instance.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldAuthError extends DatafoldAuthErrorBase {
  override get message(): string {
    const verb = this.status === 403 ? "refused (403 Forbidden)" : "did not accept (401 Unauthorized)"
    return `Datafold ${verb} the API key for ${this.url}${suffix(this.detail)}. ` +
      `Check that DATAFOLD_API_KEY holds a current key for this Datafold instance ` +
      `(a service-account key is best for CI) and that DATAFOLD_HOST points at it.`
  }
}

const DatafoldNotFoundErrorBase: TaggedErrorBase<DatafoldNotFoundError, "DatafoldNotFoundError", {
  url: typeof Schema.String
  detail: typeof Schema.String
}> = Schema.TaggedError<DatafoldNotFoundError>()("DatafoldNotFoundError", {
  url: Schema.String,
  detail: Schema.String
})

/**
 * Datafold answered 404: most often a wrong CI config id or a host that is not this
 * organisation's Datafold.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldNotFoundError extends DatafoldNotFoundErrorBase {
  override get message(): string {
    return `Datafold answered 404 Not Found for ${this.url}${suffix(this.detail)}. ` +
      `Most often the CI config id is wrong (see Settings → CI in Datafold) ` +
      `or DATAFOLD_HOST points at another Datafold instance.`
  }
}

const DatafoldValidationErrorBase: TaggedErrorBase<DatafoldValidationError, "DatafoldValidationError", {
  url: typeof Schema.String
  detail: Schema.Array$<typeof ValidationErrorItem>
  rawMessage: Schema.optional<typeof Schema.String>
}> = Schema.TaggedError<DatafoldValidationError>()(
  "DatafoldValidationError",
  {
    url: Schema.String,
    detail: Schema.Array(ValidationErrorItem),
    rawMessage: Schema.optional(Schema.String)
  }
)

/**
 * Datafold answered 422: it refused the request's content. `detail` holds the decoded
 * FastAPI items; a 422 whose body is not FastAPI-shaped keeps its text in `rawMessage`.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldValidationError extends DatafoldValidationErrorBase {
  override get message(): string {
    const items = this.detail.map((item) => `${item.loc.join(".")}: ${item.msg}`).join("; ")
    const what = items.length > 0 ? items : this.rawMessage ?? "no detail given"
    return `Datafold rejected the request to ${this.url} (422 Unprocessable Entity): ${what}. ` +
      `Correct the named fields and try again.`
  }
}

const DatafoldRateLimitErrorBase: TaggedErrorBase<DatafoldRateLimitError, "DatafoldRateLimitError", {
  url: typeof Schema.String
  retryAfterMillis: Schema.optional<typeof Schema.Number>
}> = Schema.TaggedError<DatafoldRateLimitError>()(
  "DatafoldRateLimitError",
  {
    url: Schema.String,
    retryAfterMillis: Schema.optional(Schema.Number)
  }
)

/**
 * Datafold answered 429: too many requests. `retryAfterMillis` is the server's
 * `Retry-After`, when it sent one.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldRateLimitError extends DatafoldRateLimitErrorBase {
  override get message(): string {
    const wait = this.retryAfterMillis === undefined ? "a while" : `${Math.ceil(this.retryAfterMillis / 1000)} s`
    return `Datafold is rate limiting requests to ${this.url} (429 Too Many Requests). ` +
      `Wait ${wait} and try again, or lower how often this pipeline triggers runs.`
  }
}

const DatafoldServerErrorBase: TaggedErrorBase<DatafoldServerError, "DatafoldServerError", {
  status: typeof Schema.Int
  url: typeof Schema.String
  detail: typeof Schema.String
}> = Schema.TaggedError<DatafoldServerError>()("DatafoldServerError", {
  status: Schema.Int,
  url: Schema.String,
  detail: Schema.String
})

/**
 * Datafold (or a proxy in front of it) answered with a 5xx status.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldServerError extends DatafoldServerErrorBase {
  override get message(): string {
    return `Datafold answered ${this.status} for ${this.url}${suffix(this.detail)}. ` +
      `This is on Datafold's side: try again shortly; if it persists, check Datafold's status page or contact support.`
  }
}

const DatafoldRejectedErrorBase: TaggedErrorBase<DatafoldRejectedError, "DatafoldRejectedError", {
  status: typeof Schema.Int
  url: typeof Schema.String
  detail: typeof Schema.String
}> = Schema.TaggedError<DatafoldRejectedError>()("DatafoldRejectedError", {
  status: Schema.Int,
  url: Schema.String,
  detail: Schema.String
})

/**
 * Datafold refused the request with another 4xx status (400, 405, 409, 413 …).
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldRejectedError extends DatafoldRejectedErrorBase {
  override get message(): string {
    return `Datafold refused the request to ${this.url} with status ${this.status}${suffix(this.detail)}. ` +
      `Check the request against Datafold's API documentation and this client's version.`
  }
}

/**
 * Why the network failed.
 *
 * @since 0.1.0
 * @category models
 */
export const NetworkFailure: Schema.Literal<
  ["ConnectionRefused", "HostNotFound", "ConnectionReset", "Timeout", "Tls", "PermissionDenied", "Other"]
> = Schema.Literal(
  "ConnectionRefused",
  "HostNotFound",
  "ConnectionReset",
  "Timeout",
  "Tls",
  "PermissionDenied",
  "Other"
)

/**
 * Why the network failed.
 *
 * @since 0.1.0
 * @category models
 */
export type NetworkFailure = typeof NetworkFailure.Type

const DatafoldNetworkErrorBase: TaggedErrorBase<DatafoldNetworkError, "DatafoldNetworkError", {
  reason: typeof NetworkFailure
  url: typeof Schema.String
  detail: typeof Schema.String
}> = Schema.TaggedError<DatafoldNetworkError>()("DatafoldNetworkError", {
  reason: NetworkFailure,
  url: Schema.String,
  detail: Schema.String
})

/**
 * Datafold could not be reached, or the connection failed on the way: DNS, refused,
 * reset, TLS, a timeout, or a runtime without permission to reach the host (Deno).
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldNetworkError extends DatafoldNetworkErrorBase {
  override get message(): string {
    const host = hostOf(this.url)
    switch (this.reason) {
      case "ConnectionRefused":
        return `Could not connect to ${host}: the connection was refused (${this.detail}). ` +
          `Check DATAFOLD_HOST and that the server is up.`
      case "HostNotFound":
        return `Could not find the host ${host} (${this.detail}). Check DATAFOLD_HOST for a typo, and the runner's DNS.`
      case "ConnectionReset":
        return `The connection to ${host} was closed before the answer arrived (${this.detail}). ` +
          `The request may have reached Datafold; check for the run before triggering again.`
      case "Timeout":
        return `${this.detail} waiting for ${host}. ` +
          `Raise the timeout (DATAFOLD_TIMEOUT, --timeout) or check the network between the runner and Datafold.`
      case "Tls":
        return `The TLS connection to ${host} failed (${this.detail}). ` +
          `Check DATAFOLD_HOST and the runner's CA certificates (NODE_EXTRA_CA_CERTS for a private CA).`
      case "PermissionDenied":
        return `The runtime does not allow network access to ${host} (${this.detail}). ` +
          `On Deno, add it to the permissions: --allow-net=${host}.`
      case "Other":
        return `The request to ${host} failed on the network (${this.detail}). Check the runner's network and try again.`
    }
  }
}

const DatafoldResponseErrorBase: TaggedErrorBase<DatafoldResponseError, "DatafoldResponseError", {
  status: typeof Schema.Int
  url: typeof Schema.String
  problem: typeof Schema.String
  excerpt: typeof Schema.String
}> = Schema.TaggedError<DatafoldResponseError>()("DatafoldResponseError", {
  status: Schema.Int,
  url: Schema.String,
  problem: Schema.String,
  excerpt: Schema.String
})

/**
 * An answer this client cannot use: a body that does not decode (not JSON, wrong types,
 * too large, empty), or an unexpected status such as a redirect. `excerpt` is a short
 * piece of the body, with the API key scrubbed.
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldResponseError extends DatafoldResponseErrorBase {
  override get message(): string {
    const body = this.excerpt.length > 0 ? ` Body begins: ${JSON.stringify(this.excerpt)}.` : ""
    return `Datafold's answer to ${this.url} could not be used (status ${this.status}): ${this.problem}.${body} ` +
      `A proxy or gateway may be answering instead of Datafold: check DATAFOLD_HOST.`
  }
}

/**
 * Every error a Datafold call can fail with.
 *
 * @since 0.1.0
 * @category errors
 */
export type DatafoldError =
  | DatafoldInputError
  | DatafoldAuthError
  | DatafoldNotFoundError
  | DatafoldValidationError
  | DatafoldRateLimitError
  | DatafoldServerError
  | DatafoldRejectedError
  | DatafoldNetworkError
  | DatafoldResponseError

/**
 * The schema of {@link DatafoldError}, for encoding errors as JSON (the CLI's `--json`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const DatafoldError: Schema.Union<[
  typeof DatafoldInputError,
  typeof DatafoldAuthError,
  typeof DatafoldNotFoundError,
  typeof DatafoldValidationError,
  typeof DatafoldRateLimitError,
  typeof DatafoldServerError,
  typeof DatafoldRejectedError,
  typeof DatafoldNetworkError,
  typeof DatafoldResponseError
]> = Schema.Union(
  DatafoldInputError,
  DatafoldAuthError,
  DatafoldNotFoundError,
  DatafoldValidationError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldRejectedError,
  DatafoldNetworkError,
  DatafoldResponseError
)

const suffix = (detail: string): string => (detail.length > 0 ? `: ${detail}` : "")

const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}
