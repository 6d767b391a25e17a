/**
 * One place where an HTTP answer becomes a decoded value or a typed Datafold error.
 * Whatever the server sends, the result is a value or a `DatafoldError`, never a defect.
 * The decisions (which error, which fields) are the shared rules of `core/outcome.ts`;
 * this is the Effect 3 shell that builds the error classes, for an answer from any
 * transport: the library's own wires (`wireAttempt.ts`) and any `HttpClient`
 * (`sendOverClient.ts`) alike.
 */
import { describeShapeIssues } from "../core/shapeIssue.ts"
import { shapeIssuesOf } from "./shapeIssues.ts"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { bodyTooLargeProblem } from "../core/bodyCap.ts"
import { errorFromTable } from "../core/errorTable.ts"
import {
  type AnswerHeaders,
  type ErrorOutcome,
  errorOutcome,
  isRedirect,
  isSuccess,
  notJsonOutcome,
  parseJson,
  wrongShapeOutcome
} from "../core/outcome.ts"
import { REFUSED_REDIRECT_STATUS } from "../core/redirectRefusal.ts"
import type { Scrub } from "../core/scrub.ts"
import { transportFailure } from "../core/transportFailure.ts"
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
import { BodyTooLarge } from "./responseBody.ts"

/** Where the answer came from, for messages; and the scrubber that removes the key from what the server sent. */
export interface ResponseContext {
  readonly url: string
  readonly scrub: Scrub
}

/** An answer besides its body, whatever the transport. */
export interface AnswerHead {
  readonly status: number
  /** The headers by lower-case name; built only when a rule reads them (not on a success). */
  readonly headers: () => AnswerHeaders
}

const decodeValidation = Schema.decodeUnknownEither(HttpValidationError)

/** A 422 body's FastAPI items, when it has that shape. */
const validationItems = (json: unknown): ReadonlyArray<ValidationErrorItem> | undefined =>
  Either.match(decodeValidation(json), { onLeft: () => undefined, onRight: (body) => body.detail })

/** The error class of an outcome the shared rules decided, by its tag. */
export const errorFromOutcome: (outcome: ErrorOutcome<ValidationErrorItem>) => DatafoldError = errorFromTable<
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

/**
 * A body that could not be read: one over the cap is a response error; anything else
 * (the connection broke off mid-body) a network error.
 */
export const bodyReadFailure = (head: AnswerHead, error: unknown, context: ResponseContext): DatafoldError =>
  error instanceof BodyTooLarge
    ? new DatafoldResponseError({
      status: head.status,
      url: context.url,
      problem: bodyTooLargeProblem(error.bytes, error.cap),
      excerpt: ""
    })
    : new DatafoldNetworkError({
      ...transportFailure(error, context.scrub),
      reason: "ConnectionReset",
      url: context.url
    })

/** A redirect that `fetch`'s "error" mode refused, as the error of any other redirect. */
export const refusedRedirectError = (context: ResponseContext): DatafoldError =>
  errorFor({ status: REFUSED_REDIRECT_STATUS, headers: () => ({}) }, "", context)

const errorFor = (head: AnswerHead, text: string, context: ResponseContext): DatafoldError =>
  errorFromOutcome(
    errorOutcome(
      {
        status: head.status,
        url: context.url,
        headers: head.headers(),
        text,
        scrub: context.scrub,
        now: Date.now()
      },
      validationItems
    )
  )

/**
 * The outcome of an answer whose body was read (`""` for a redirect, which is not read):
 * a 2xx decoded with `decode`; any other status, or a body that does not decode, as the
 * matching {@link DatafoldError}. The one place a body's text enters: it is scrubbed here.
 */
export const interpretAnswer = <A>(
  head: AnswerHead,
  rawText: string,
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  context: ResponseContext
): Either.Either<A, DatafoldError> => {
  if (isRedirect(head.status)) return Either.left(errorFor(head, "", context))
  const text = context.scrub(rawText)
  if (!isSuccess(head.status)) return Either.left(errorFor(head, text, context))
  const json = parseJson(text, context.scrub)
  if (!json.ok) {
    const answer = { status: head.status, url: context.url, headers: head.headers(), text }
    return Either.left(new DatafoldResponseError(notJsonOutcome(answer, json.problem)))
  }
  const decoded = decode(json.value)
  if (Either.isRight(decoded)) return Either.right(decoded.right)
  const answer = { status: head.status, url: context.url, headers: head.headers(), text }
  // The shape's problem in plain words, never the schema's tree.
  return Either.left(
    new DatafoldResponseError(wrongShapeOutcome(answer, describeShapeIssues(shapeIssuesOf(decoded.left), json.value)))
  )
}
