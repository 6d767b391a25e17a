/**
 * Reading an answer's body within a size cap, and turning error bodies into a short,
 * key-free line for error messages.
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"

/** The largest body the client reads: 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024

/** A body larger than {@link MAX_BODY_BYTES}. */
export class BodyTooLarge {
  readonly _tag = "BodyTooLarge"
  constructor(readonly bytes: number) {}
}

/**
 * The body as text, refused past the cap. A declared `Content-Length` is trusted (the
 * runtime enforces it); a chunked body is counted as it streams.
 */
export const readCappedText = (
  response: HttpClientResponse.HttpClientResponse
): Effect.Effect<string, BodyTooLarge | HttpClientError.ResponseError> => {
  const declared = response.headers["content-length"]
  if (declared !== undefined) {
    const bytes = Number(declared)
    if (bytes > MAX_BODY_BYTES) return Effect.fail(new BodyTooLarge(bytes))
    return response.text
  }
  const decoder = new TextDecoder()
  return response.stream.pipe(
    Stream.runFoldEffect(
      { bytes: 0, text: "" },
      (state, chunk): Effect.Effect<{ bytes: number; text: string }, BodyTooLarge> => {
        const bytes = state.bytes + chunk.byteLength
        return bytes > MAX_BODY_BYTES
          ? Effect.fail(new BodyTooLarge(bytes))
          : Effect.succeed({ bytes, text: state.text + decoder.decode(chunk, { stream: true }) })
      }
    ),
    Effect.map((state) => state.text + decoder.decode())
  )
}

/** Replace every occurrence of the key, should a server or proxy echo it back. */
export const scrub = (text: string, secret: string): string =>
  secret.length >= 4 && text.includes(secret) ? text.split(secret).join("[redacted]") : text

/** A short excerpt: white space folded, at most 200 characters. */
export const excerpt = (text: string, secret: string): string => {
  const folded = scrub(text, secret).replace(/\s+/g, " ").trim()
  return folded.length > 200 ? `${folded.slice(0, 200)}…` : folded
}

/**
 * The server's own words from an error body: FastAPI's `detail` (a string or a list of
 * items), problem+json's `title` and `detail`, or else an excerpt of the text.
 */
export const serverMessage = (text: string, secret: string): string => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return excerpt(text, secret)
  }
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
    if (parts.length > 0) return excerpt(parts.join(": "), secret)
  }
  return excerpt(text, secret)
}
