/**
 * The wire: the least a transport must do for one attempt (send a request, hand back the
 * status, the headers and the body within the cap), as plain promises. An `HttpClient`
 * of the library's own carries its wire under a symbol, and the client then sends each
 * attempt straight over it instead of through the `HttpClient` machinery; any other
 * `HttpClient` takes the general path. Both paths interpret the answer with the same rules
 * (`interpretResponse.ts`).
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { AnswerHeaders } from "../core/outcome.ts"
import type { BodySource, StreamBody } from "../core/streamBody.ts"

// A streamed body's shapes and its web stream are Effect-free and shared with the Effect 4 entry.
export { type BodySource, readableStreamOf, type StreamBody } from "../core/streamBody.ts"

/** A request as the client sends it; `E` is what reading a streamed body can fail with. */
export interface WireRequest<E = never> {
  readonly method: "GET" | "POST"
  /** The URL without its query: what messages name. */
  readonly url: string
  /** The query string with its `?`, or `""`. */
  readonly query: string
  /** A JSON body, a body streamed from a source (a dbt target folder), or `undefined` for none. */
  readonly body: string | StreamBody<E> | undefined
  /** The content type of a text body; default `application/json`. */
  readonly contentType?: string | undefined
  /** The most of the answer's body read; default `MAX_BODY_BYTES` (1 MiB). */
  readonly maxAnswerBytes?: number | undefined
}

/** Whether a request's body is streamed. */
export const isStreamBody = <E>(body: WireRequest<E>["body"]): body is StreamBody<E> =>
  typeof body === "object" && body._tag === "StreamBody"

/** An answer whose body has not been read yet. */
export interface WireAnswer {
  readonly status: number
  /** The headers by lower-case name, built when asked (only an error answer needs them). */
  readonly headers: () => AnswerHeaders
  /**
   * The body as text, counted after any content decoding and refused past the cap: rejects
   * with `BodyTooLarge`, or with the transport's error when the body breaks off. An
   * empty body is `""`.
   */
  readonly text: () => Promise<string>
}

/** A request on its way. */
export interface WireCall {
  /** The answer; rejects with the runtime's own error when nothing usable came back. */
  readonly answer: Promise<WireAnswer>
  /**
   * Abandon the request, at any point: before the answer, or while its body is read. Its
   * connection is released (each wire uses its runtime's cheapest way: an
   * `AbortController` costs about 6 µs a request on Node: `fetch` needs one, undici's
   * dispatch handler has its own controller, and `node:http` destroys the request).
   */
  readonly abort: () => void
}

/**
 * Sends one request. A streamed body comes already opened (`source`): the wire sends its
 * chunks as they come and abandons the request when they fail.
 */
export type WireSend = (
  request: WireRequest<unknown>,
  headers: Readonly<Record<string, string>>,
  source?: BodySource<unknown>
) => WireCall

const WireSendId: unique symbol = Symbol.for("effect-datafold/WireSend")

interface WithWire {
  readonly [WireSendId]?: WireSend
}

/**
 * `client` marked as sending over `send`. Only this very object carries the mark: a
 * client derived from it (`HttpClient.mapRequest`, a `transformClient` hook) does not, so
 * whatever a user put around it is honoured by the general path.
 */
export const withWire = (client: HttpClient.HttpClient, send: WireSend): HttpClient.HttpClient =>
  Object.assign(client, { [WireSendId]: send })

/** The wire `client` sends over, when it is one of the library's own. */
export const wireOf = (client: HttpClient.HttpClient): WireSend | undefined => (client as WithWire)[WireSendId]
