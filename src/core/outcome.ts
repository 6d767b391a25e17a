/**
 * The status → outcome rules: which error an answer is, with which fields, decided from
 * the status, the headers and the (capped, scrubbed) body text. The Effect shells build
 * their error classes from these records; the decisions live here once.
 *
 * @since 0.1.0
 */
import { type Checked, passed, refused } from "./checked.ts"
import { excerpt, serverWords } from "./excerpt.ts"
import { parseRetryAfter } from "./retryAfter.ts"
import type { Scrub } from "./scrub.ts"

/**
 * The headers the rules read, by their lower-case names.
 *
 * @since 0.1.0
 * @category models
 */
export type AnswerHeaders = Readonly<Record<string, string | undefined>>

/**
 * An error answer as data: the tag of the error class and its fields. `Item` is the
 * shell's decoded FastAPI validation item.
 *
 * @since 0.1.0
 * @category models
 */
export type ErrorOutcome<Item> =
  | { readonly _tag: "DatafoldAuthError"; readonly status: number; readonly url: string; readonly detail: string }
  | { readonly _tag: "DatafoldNotFoundError"; readonly url: string; readonly detail: string }
  | {
    readonly _tag: "DatafoldValidationError"
    readonly url: string
    readonly detail: ReadonlyArray<Item>
    readonly rawMessage?: string
  }
  | { readonly _tag: "DatafoldRateLimitError"; readonly url: string; readonly retryAfterMillis?: number }
  | { readonly _tag: "DatafoldServerError"; readonly status: number; readonly url: string; readonly detail: string }
  | { readonly _tag: "DatafoldRejectedError"; readonly status: number; readonly url: string; readonly detail: string }
  | ResponseOutcome

/**
 * An answer the client cannot use (`DatafoldResponseError`'s fields).
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseOutcome {
  readonly _tag: "DatafoldResponseError"
  readonly status: number
  readonly url: string
  readonly problem: string
  readonly excerpt: string
}

/**
 * The body as JSON. Every string in it goes through `scrub` as well, so a key the server
 * wrote with JSON escapes (`\u0041…`) is caught once decoded. A body without a backslash
 * has no escapes: its strings are pieces of the text, which is scrubbed already, so the
 * reviver (a call per value) is skipped on the common answer.
 *
 * @since 0.1.0
 * @category rules
 */
export const parseJson = (text: string, scrub: Scrub): Checked<unknown> => {
  if (text.trim().length === 0) return refused("the body is empty")
  try {
    return passed(
      text.includes("\\")
        ? JSON.parse(text, (_, value) => typeof value === "string" ? scrub(value) : value)
        : JSON.parse(text)
    )
  } catch {
    return refused("the body is not JSON")
  }
}

/**
 * Whether a status is a redirect: answered, never followed, and its body never read.
 *
 * @since 0.1.0
 * @category rules
 */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400

/**
 * Whether a status is a success whose body is decoded.
 *
 * @since 0.1.0
 * @category rules
 */
export const isSuccess = (status: number): boolean => status >= 200 && status < 300

/** The content type for a message, when the server named one. */
const describeType = (headers: AnswerHeaders): string => {
  const type = headers["content-type"]
  return type === undefined ? "" : ` (content type ${excerpt(type)})`
}

/**
 * What a non-2xx answer is. `validationItems` decodes a 422 body's FastAPI items with
 * the shell's schema (`undefined` when the body is not FastAPI-shaped); `now` dates an
 * HTTP-date `Retry-After`.
 *
 * @since 0.1.0
 * @category rules
 */
export const errorOutcome = <Item>(
  answer: {
    readonly status: number
    readonly url: string
    readonly headers: AnswerHeaders
    readonly text: string
    readonly scrub: Scrub
    readonly now: number
  },
  validationItems: (json: unknown) => ReadonlyArray<Item> | undefined
): ErrorOutcome<Item> => {
  const { headers, status, text, url } = answer
  const parsed = parseJson(text, answer.scrub)
  const json = parsed.ok ? parsed.value : undefined
  const words = () => serverWords(text, json, headers["content-type"])
  if (isRedirect(status)) {
    const location = headers["location"]
    return {
      _tag: "DatafoldResponseError",
      status,
      url,
      problem: `Datafold answered with a redirect${
        location === undefined ? "" : ` to ${excerpt(answer.scrub(location))}`
      }, which this client does not follow so that the API key never goes to another address; set DATAFOLD_HOST to the final address`,
      excerpt: ""
    }
  }
  if (status === 401 || status === 403) return { _tag: "DatafoldAuthError", status, url, detail: words() }
  if (status === 404) return { _tag: "DatafoldNotFoundError", url, detail: words() }
  if (status === 422) {
    const items = validationItems(json)
    return items !== undefined && items.length > 0
      ? { _tag: "DatafoldValidationError", url, detail: items }
      : { _tag: "DatafoldValidationError", url, detail: [], rawMessage: words() }
  }
  if (status === 429) {
    const retryAfterMillis = parseRetryAfter(headers["retry-after"], answer.now)
    return retryAfterMillis === undefined
      ? { _tag: "DatafoldRateLimitError", url }
      : { _tag: "DatafoldRateLimitError", url, retryAfterMillis }
  }
  if (status >= 500) return { _tag: "DatafoldServerError", status, url, detail: words() }
  if (status >= 400) return { _tag: "DatafoldRejectedError", status, url, detail: words() }
  return {
    _tag: "DatafoldResponseError",
    status,
    url,
    problem: `status ${status} is not an answer this client expects${describeType(headers)}`,
    excerpt: excerpt(text, headers["content-type"])
  }
}

/**
 * A 2xx body that is not JSON (empty, or not parseable).
 *
 * @since 0.1.0
 * @category rules
 */
export const notJsonOutcome = (
  answer: { readonly status: number; readonly url: string; readonly headers: AnswerHeaders; readonly text: string },
  problem: string
): ResponseOutcome => ({
  _tag: "DatafoldResponseError",
  status: answer.status,
  url: answer.url,
  problem: `${problem}${describeType(answer.headers)}`,
  excerpt: excerpt(answer.text, answer.headers["content-type"])
})

/**
 * A 2xx JSON body without the documented shape; `why` is the schema's message.
 *
 * @since 0.1.0
 * @category rules
 */
export const wrongShapeOutcome = (
  answer: { readonly status: number; readonly url: string; readonly text: string },
  why: string
): ResponseOutcome => ({
  _tag: "DatafoldResponseError",
  status: answer.status,
  url: answer.url,
  problem: `the body does not have the documented shape (${excerpt(why)})`,
  excerpt: excerpt(answer.text)
})
