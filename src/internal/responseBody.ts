/**
 * Reading an answer's body within a size cap, and turning bodies into a short line for
 * error messages.
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/** The largest body the client reads: 1 MiB, counted after any content decoding. */
export const MAX_BODY_BYTES = 1024 * 1024

/** A body larger than {@link MAX_BODY_BYTES}. */
export class BodyTooLarge {
  readonly _tag = "BodyTooLarge"
  constructor(readonly bytes: number) {}
}

/**
 * The body as text, refused past the cap. The bytes counted are the ones the transport
 * hands over, after any `Content-Encoding` is undone (fetch inflates gzip and deflate
 * itself), so a small compressed body cannot inflate past the cap: reading stops, and
 * the body is cancelled, at the first chunk over it. A declared `Content-Length` over
 * the cap is refused before reading anything; one within it, with no content coding, is
 * exact and read whole. An empty body (a 204, or a 200 without
 * one) is the empty string, on every transport.
 */
export const readCappedText = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<string, BodyTooLarge | HttpClientError.ResponseError> => {
  const declared = Number(response.headers["content-length"])
  if (declared > MAX_BODY_BYTES) return Effect.fail(new BodyTooLarge(declared))
  if (declared === 0) return Effect.succeed("")
  // Without a content coding, a declared length is exactly what is read (the runtime
  // enforces it): the common answer is read whole, without counting chunks.
  const encoding = response.headers["content-encoding"]
  if (declared > 0 && (encoding === undefined || encoding === "identity")) return response.text
  const chunks: Array<Uint8Array> = []
  let bytes = 0
  return response.stream.pipe(
    Stream.runForEach((chunk) => {
      bytes += chunk.byteLength
      if (bytes > MAX_BODY_BYTES) return Effect.fail(new BodyTooLarge(bytes))
      chunks.push(chunk)
      return Effect.void
    }),
    Effect.as(undefined),
    Effect.catchIf(
      (error): error is HttpClientError.ResponseError => error._tag === "ResponseError" && error.reason === "EmptyBody",
      () => Effect.void
    ),
    Effect.map(() => {
      if (chunks.length === 1) return new TextDecoder().decode(chunks[0])
      const whole = new Uint8Array(bytes)
      let offset = 0
      for (const chunk of chunks) {
        whole.set(chunk, offset)
        offset += chunk.byteLength
      }
      return new TextDecoder().decode(whole)
    })
  )
}

const EXCERPT_CHARS = 200

/** Markup reduced to its words: scripts and styles dropped, tags and entities folded. */
const pageText = (html: string): string => {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim()
  const body = html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<[^>]*>/g, " ")
    .replace(/&[a-z#0-9]+;/gi, " ")
  const words = body.replace(/\s+/g, " ").trim()
  return title !== undefined && title.length > 0 && !words.startsWith(title) ? `${title}: ${words}` : words
}

const looksLikeHtml = (text: string, contentType: string | undefined): boolean =>
  (contentType !== undefined && /html|xml/i.test(contentType)) || /^\s*</.test(text)

/**
 * A short excerpt of a body: white space folded, markup (a proxy's error page) reduced to
 * its words, at most 200 characters. The text is already scrubbed of the key.
 */
export const excerpt = (text: string, contentType?: string): string => {
  const folded = looksLikeHtml(text, contentType) ? pageText(text) : text.replace(/\s+/g, " ").trim()
  return folded.length > EXCERPT_CHARS ? `${folded.slice(0, EXCERPT_CHARS)}…` : folded
}

/**
 * The server's own words from an error body: FastAPI's `detail` (a string or a list of
 * items), problem+json's `title` and `detail`, or else an excerpt of the text.
 */
export const serverMessage = (text: string, json: unknown, contentType?: string): string => {
  if (typeof json === "object" && json !== null) {
    const record = json as Record<string, unknown>
    const parts: Array<string> = []
    if (typeof record.title === "string") parts.push(record.title)
    if (typeof record.detail === "string") parts.push(record.detail)
    if (Array.isArray(record.detail)) {
      for (const item of record.detail) {
        if (typeof item === "object" && item !== null && typeof (item as { msg?: unknown }).msg === "string") {
          parts.push((item as { msg: string }).msg)
        }
      }
    }
    if (typeof record.message === "string" && parts.length === 0) parts.push(record.message)
    if (parts.length > 0) return excerpt(parts.join(": "))
  }
  return excerpt(text, contentType)
}
