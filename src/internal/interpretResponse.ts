/**
 * One place where an HTTP answer becomes a decoded value or a typed Datafold error.
 * Whatever the server sends, the result is a value or a `DatafoldError`, never a defect.
 */
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
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
import { HttpValidationError } from "../ValidationError.ts"
import { BodyTooLarge, excerpt, MAX_BODY_BYTES, readCappedText, serverMessage } from "./responseBody.ts"
import { parseRetryAfter } from "./retryAfter.ts"
import type { Scrub } from "./scrub.ts"
import { transportFailure } from "./transportFailure.ts"

/** Where the answer came from, for messages; and the scrubber that removes the key from what the server sent. */
export interface ResponseContext {
  readonly url: string
  readonly scrub: Scrub
}

/** What the rules read of an answer besides its body, whatever the transport. */
export interface AnswerHead {
  readonly status: number
  /** A header by its lower-case name. */
  readonly header: (name: string) => string | undefined
}

/** Redirects carry nothing worth reading, and reading them could wait on a slow body. */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400

const decodeValidation = Schema.decodeUnknownEither(HttpValidationError)

/**
 * The body as JSON. Every string in it goes through `scrub` as well, so a key the server
 * wrote with JSON escapes (`\u0041…`) is caught once decoded. A body without a backslash
 * has no escapes: its strings are pieces of the text, which is scrubbed already, so the
 * reviver (a call per value) is skipped on the common answer.
 */
const parseJson = (text: string, scrub: Scrub): Either.Either<unknown, string> => {
  if (text.trim().length === 0) return Either.left("the body is empty")
  try {
    return Either.right(
      text.includes("\\")
        ? JSON.parse(text, (_, value) => typeof value === "string" ? scrub(value) : value)
        : JSON.parse(text)
    )
  } catch {
    return Either.left("the body is not JSON")
  }
}

const contentTypeOf = (head: AnswerHead): string | undefined => head.header("content-type")

/**
 * A body that could not be read: one over the cap is a response error; anything else
 * (the connection broke off mid-body) a network error.
 */
export const bodyReadFailure = (head: AnswerHead, error: unknown, context: ResponseContext): DatafoldError =>
  error instanceof BodyTooLarge
    ? new DatafoldResponseError({
      status: head.status,
      url: context.url,
      problem: `the body is larger than the ${MAX_BODY_BYTES / 1024 / 1024} MiB this client reads${
        error.bytes > 0 ? ` (at least ${error.bytes} bytes)` : ""
      }`,
      excerpt: ""
    })
    : new DatafoldNetworkError({
      ...transportFailure(error, context.scrub),
      reason: "ConnectionReset",
      url: context.url
    })

/** The content type for a message, when the server named one. */
const describeType = (head: AnswerHead): string => {
  const type = contentTypeOf(head)
  return type === undefined ? "" : ` (content type ${excerpt(type)})`
}

const errorFor = (
  response: AnswerHead,
  text: string,
  context: ResponseContext
): DatafoldError => {
  const { status } = response
  const url = context.url
  const json = Either.getOrUndefined(parseJson(text, context.scrub))
  const message = () => serverMessage(text, json, contentTypeOf(response))
  if (status >= 300 && status < 400) {
    const location = response.header("location")
    return new DatafoldResponseError({
      status,
      url,
      problem: `Datafold answered with a redirect${
        location === undefined ? "" : ` to ${excerpt(context.scrub(location))}`
      }, which this client does not follow so that the API key never goes to another address; set DATAFOLD_HOST to the final address`,
      excerpt: ""
    })
  }
  if (status === 401 || status === 403) {
    return new DatafoldAuthError({ status, url, detail: message() })
  }
  if (status === 404) return new DatafoldNotFoundError({ url, detail: message() })
  if (status === 422) {
    const decoded = decodeValidation(json)
    return Either.isRight(decoded) && decoded.right.detail.length > 0
      ? new DatafoldValidationError({ url, detail: decoded.right.detail })
      : new DatafoldValidationError({ url, detail: [], rawMessage: message() })
  }
  if (status === 429) {
    const retryAfterMillis = parseRetryAfter(response.header("retry-after"), Date.now())
    return new DatafoldRateLimitError(retryAfterMillis === undefined ? { url } : { url, retryAfterMillis })
  }
  if (status >= 500) return new DatafoldServerError({ status, url, detail: message() })
  if (status >= 400) return new DatafoldRejectedError({ status, url, detail: message() })
  return new DatafoldResponseError({
    status,
    url,
    problem: `status ${status} is not an answer this client expects${describeType(response)}`,
    excerpt: excerpt(text, contentTypeOf(response))
  })
}

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
  if (head.status < 200 || head.status >= 300) return Either.left(errorFor(head, text, context))
  const json = parseJson(text, context.scrub)
  if (Either.isLeft(json)) {
    return Either.left(
      new DatafoldResponseError({
        status: head.status,
        url: context.url,
        problem: `${json.left}${describeType(head)}`,
        excerpt: excerpt(text, contentTypeOf(head))
      })
    )
  }
  const decoded = decode(json.right)
  if (Either.isRight(decoded)) return Either.right(decoded.right)
  return Either.left(
    new DatafoldResponseError({
      status: head.status,
      url: context.url,
      problem: `the body does not have the documented shape (${excerpt(decoded.left.message)})`,
      excerpt: excerpt(text)
    })
  )
}

/**
 * {@link interpretAnswer} for an `@effect/platform` response: the body read within the
 * cap (a redirect's left unread).
 */
export const interpretResponse = <A>(
  response: HttpClientResponse.HttpClientResponse,
  decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
  context: ResponseContext
): Effect.Effect<A, DatafoldError> => {
  const head: AnswerHead = { status: response.status, header: (name) => response.headers[name] }
  if (isRedirect(head.status)) return interpretAnswer(head, "", decode, context)
  return readCappedText(response).pipe(
    Effect.mapError((error) =>
      bodyReadFailure(head, error instanceof BodyTooLarge ? error : error.cause ?? error, context)
    ),
    Effect.flatMap((text) => interpretAnswer(head, text, decode, context))
  )
}
