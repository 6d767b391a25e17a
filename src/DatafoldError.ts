/**
 * Every failure a caller can act on, as data: one `Schema.TaggedError` per kind, grouped
 * in the {@link DatafoldError} union so `Effect.catchTags` reads naturally. Messages say
 * what happened and what to do. None of them ever holds the API key.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import {
  authErrorMessage,
  inputErrorMessage,
  networkErrorMessage,
  notFoundErrorMessage,
  rateLimitErrorMessage,
  rejectedErrorMessage,
  responseErrorMessage,
  serverErrorMessage,
  validationErrorMessage
} from "./core/messages.ts"
import { NETWORK_FAILURES } from "./core/networkFailure.ts"
import type { ClassBase, TaggedErrorBase } from "./schemaClass.ts"
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
    return inputErrorMessage(this.issues)
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
    return authErrorMessage(this)
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
    return notFoundErrorMessage(this)
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
    return validationErrorMessage(this)
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
    return rateLimitErrorMessage(this)
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
    return serverErrorMessage(this)
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
    return rejectedErrorMessage(this)
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
> = Schema.Literal(...NETWORK_FAILURES)

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
    return networkErrorMessage(this)
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
    return responseErrorMessage(this)
  }
}

/**
 * Every error a Datafold call can fail with.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldClient, triggerCiRun } from "effect-datafold"
 *
 * const program = triggerCiRun(1234, {
 *   pr_number: 42,
 *   pr_branch: "feature/orders-rollup",
 *   base_branch: "main",
 *   pr_sha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3",
 *   base_sha: "c9f0f895fb98ab9159f51fd0297e236d1e0c4a5b"
 * }).pipe(
 *   Effect.catchTags({
 *     DatafoldInputError: (e) => Console.error(e.issues.map((issue) => `${issue.field}: ${issue.problem}`).join("\n")),
 *     DatafoldAuthError: (e) => Console.error(`the key was refused (${e.status}): ${e.detail}`),
 *     DatafoldNotFoundError: (e) => Console.error(`no such CI config: ${e.url}`),
 *     DatafoldRateLimitError: (e) => Console.error(`rate limited; try again in ${e.retryAfterMillis ?? 60_000} ms`)
 *   })
 * )
 *
 * // The other kinds (server, network, response ...) are still in the error channel, each with its message
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * ```
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
