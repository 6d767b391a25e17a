/**
 * One place where an HTTP answer becomes a decoded value or a typed Datafold error.
 * Whatever the server sends, the result is a value or a `DatafoldError`, never a defect.
 * The decisions (which error, which fields) are the shared rules of `core/outcome.ts`;
 * this is the Effect 3 shell that reads the body and builds the error classes.
 */
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { bodyTooLargeProblem } from "../core/bodyCap.ts"
import {
  type ErrorOutcome,
  errorOutcome,
  isRedirect,
  isSuccess,
  notJsonOutcome,
  parseJson,
  wrongShapeOutcome
} from "../core/outcome.ts"
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
import { BodyTooLarge, readCappedText } from "./responseBody.ts"

/** Where the answer came from, for messages; and the scrubber that removes the key from what the server sent. */
export interface ResponseContext {
  readonly url: string
  readonly scrub: Scrub
}

const decodeValidation = Schema.decodeUnknownEither(HttpValidationError)

/** A 422 body's FastAPI items, when it has that shape. */
const validationItems = (json: unknown): ReadonlyArray<ValidationErrorItem> | undefined =>
  Either.match(decodeValidation(json), { onLeft: () => undefined, onRight: (body) => body.detail })

/** The error class of an outcome the shared rules decided. */
export const errorFromOutcome = (outcome: ErrorOutcome<ValidationErrorItem>): DatafoldError => {
  switch (outcome._tag) {
    case "DatafoldAuthError":
      return new DatafoldAuthError(outcome)
    case "DatafoldNotFoundError":
      return new DatafoldNotFoundError(outcome)
    case "DatafoldValidationError":
      return new DatafoldValidationError(outcome)
    case "DatafoldRateLimitError":
      return new DatafoldRateLimitError(outcome)
    case "DatafoldServerError":
      return new DatafoldServerError(outcome)
    case "DatafoldRejectedError":
      return new DatafoldRejectedError(outcome)
    case "DatafoldResponseError":
      return new DatafoldResponseError(outcome)
  }
}

/**
 * Read the body within the cap, scrubbed of the key: the one place a body's text enters.
 * A failure while reading is a network error.
 */
const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  context: ResponseContext
): Effect.Effect<string, DatafoldError> =>
  readCappedText(response).pipe(
    Effect.map(context.scrub),
    Effect.catchAll((error): Effect.Effect<never, DatafoldError> =>
      error instanceof BodyTooLarge
        ? Effect.fail(
          new DatafoldResponseError({
            status: response.status,
            url: context.url,
            problem: bodyTooLargeProblem(error.bytes),
            excerpt: ""
          })
        )
        : Effect.fail(
          new DatafoldNetworkError({
            ...transportFailure(error.cause ?? error, context.scrub),
            reason: "ConnectionReset",
            url: context.url
          })
        )
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
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  context: ResponseContext
): Effect.Effect<A, DatafoldError> => {
  // Redirects carry nothing worth reading, and reading them could wait on a slow body.
  if (isRedirect(response.status)) return Effect.fail(errorFor(response, "", context))
  return Effect.flatMap(readBody(response, context), (text) => {
    if (!isSuccess(response.status)) return Effect.fail(errorFor(response, text, context))
    const answer = { status: response.status, url: context.url, headers: response.headers, text }
    const json = parseJson(text, context.scrub)
    if (!json.ok) return Effect.fail(new DatafoldResponseError(notJsonOutcome(answer, json.problem)))
    const decoded = decode(json.value)
    if (Either.isRight(decoded)) return Effect.succeed(decoded.right)
    return Effect.fail(new DatafoldResponseError(wrongShapeOutcome(answer, decoded.left.message)))
  })
}
