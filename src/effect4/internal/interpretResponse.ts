/**
 * Where an Effect 4 HTTP answer becomes a decoded value or a typed Datafold error. The
 * decisions are the shared rules of `core/outcome.ts`; this shell reads the body and
 * builds the Effect 4 error classes.
 */
import { describeShapeIssues } from "../../core/shapeIssue.ts"
import { shapeIssuesOf } from "./shapeIssues.ts"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import { bodyTooLargeProblem } from "../../core/bodyCap.ts"
import { errorFromTable } from "../../core/errorTable.ts"
import {
  type ErrorOutcome,
  errorOutcome,
  isRedirect,
  isSuccess,
  notJsonOutcome,
  parseJson,
  wrongShapeOutcome
} from "../../core/outcome.ts"
import { REFUSED_REDIRECT_STATUS } from "../../core/redirectRefusal.ts"
import type { Scrub } from "../../core/scrub.ts"
import { transportFailure } from "../../core/transportFailure.ts"
import {
  DatafoldAuthError,
  type DatafoldError,
  DatafoldNetworkError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldRejectedError,
  DatafoldResponseError,
  DatafoldServerError,
  DatafoldValidationError
} from "../DatafoldError.ts"
import { HttpValidationError, type ValidationErrorItem } from "../ValidationError.ts"
import { BodyTooLarge, readCappedText } from "./responseBody.ts"

/**
 * Where the answer came from, the scrubber that removes the key from what the server
 * sent, and the most of the body read (default `MAX_BODY_BYTES`).
 */
export interface ResponseContext {
  readonly url: string
  readonly scrub: Scrub
  readonly maxAnswerBytes?: number | undefined
}

/** A decoder of a 2xx body: the value, or the schema's message. */
export type Decode<A> = (json: unknown) => Result.Result<A, string>

const decodeValidation = Schema.decodeUnknownResult(HttpValidationError)

const validationItems = (json: unknown): ReadonlyArray<ValidationErrorItem> | undefined => {
  const decoded = decodeValidation(json)
  return Result.isSuccess(decoded) ? decoded.success.detail : undefined
}

/** The error class of an outcome the shared rules decided, by its tag. */
const errorFromOutcome: (outcome: ErrorOutcome<ValidationErrorItem>) => DatafoldError = errorFromTable<
  ValidationErrorItem,
  DatafoldError
>({
  DatafoldAuthError,
  DatafoldNotFoundError,
  DatafoldValidationError,
  DatafoldRateLimitError,
  DatafoldServerError,
  DatafoldRejectedError,
  DatafoldResponseError
})

/** Read the body within the cap, scrubbed of the key. A failure while reading is a network error. */
const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  context: ResponseContext
): Effect.Effect<string, DatafoldError> =>
  readCappedText(response, context.maxAnswerBytes).pipe(
    Effect.map(context.scrub),
    Effect.catch((error): Effect.Effect<never, DatafoldError> =>
      error instanceof BodyTooLarge
        ? Effect.fail(
          new DatafoldResponseError({
            status: response.status,
            url: context.url,
            problem: bodyTooLargeProblem(error.bytes, error.cap),
            excerpt: ""
          })
        )
        : Effect.fail(
          new DatafoldNetworkError({
            ...transportFailure(causeOf(error), context.scrub),
            reason: "ConnectionReset",
            url: context.url
          })
        )
    )
  )

/** What the runtime threw under an Effect 4 HTTP client error. */
export const causeOf = (error: { readonly reason?: { readonly cause?: unknown } }): unknown =>
  error.reason?.cause ?? error

/** A redirect that `fetch`'s "error" mode refused, as the error of any other redirect. */
export const refusedRedirectError = (context: ResponseContext): DatafoldError =>
  errorFromOutcome(
    errorOutcome(
      {
        status: REFUSED_REDIRECT_STATUS,
        url: context.url,
        headers: {},
        text: "",
        scrub: context.scrub,
        now: Date.now()
      },
      validationItems
    )
  )

const errorFor = (
  response: HttpClientResponse.HttpClientResponse,
  text: string,
  context: ResponseContext
): DatafoldError =>
  errorFromOutcome(
    errorOutcome(
      {
        status: response.status,
        url: context.url,
        headers: response.headers,
        text,
        scrub: context.scrub,
        now: Date.now()
      },
      validationItems
    )
  )

/**
 * A 2xx answer decoded with `decode`; any other status, or a body that does not decode,
 * as the matching {@link DatafoldError}.
 */
export const interpretResponse = <A>(
  response: HttpClientResponse.HttpClientResponse,
  decode: Decode<A>,
  context: ResponseContext
): Effect.Effect<A, DatafoldError> => {
  if (isRedirect(response.status)) return Effect.fail(errorFor(response, "", context))
  return Effect.flatMap(readBody(response, context), (text) => {
    if (!isSuccess(response.status)) return Effect.fail(errorFor(response, text, context))
    const answer = { status: response.status, url: context.url, headers: response.headers, text }
    const json = parseJson(text, context.scrub)
    if (!json.ok) return Effect.fail(new DatafoldResponseError(notJsonOutcome(answer, json.problem)))
    const decoded = decode(json.value)
    return Result.isSuccess(decoded)
      ? Effect.succeed(decoded.success)
      : Effect.fail(new DatafoldResponseError(wrongShapeOutcome(answer, decoded.failure)))
  })
}

/** A decoder for `schema`, its failure in plain words (`core/shapeIssue.ts`). */
export const decoderFor = <S extends Schema.Decoder<unknown>>(schema: S): Decode<S["Type"]> => {
  const decode = Schema.decodeUnknownResult(schema)
  // The shape's problem in plain words, never the schema's tree.
  return (json) => Result.mapError(decode(json), (error) => describeShapeIssues(shapeIssuesOf(error), json))
}
