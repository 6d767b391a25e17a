/**
 * Reading an answer's body within the size cap, on Effect 4's `HttpClientResponse`.
 */
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import type * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import { MAX_BODY_BYTES } from "../../core/bodyCap.ts"

/** A body larger than its cap ({@link MAX_BODY_BYTES} unless the call reads more). */
export class BodyTooLarge {
  readonly _tag = "BodyTooLarge"
  constructor(readonly bytes: number, readonly cap: number = MAX_BODY_BYTES) {}
}

/**
 * The body as text, refused past `cap`. A declared `Content-Length` over the cap is
 * refused before reading; one within it, with no content coding, is exact and read
 * whole. Otherwise the decoded chunks are counted, and reading stops (the body is
 * cancelled) at the first chunk over the cap. An empty body is the empty string.
 */
export const readCappedText = (
  response: HttpClientResponse.HttpClientResponse,
  cap: number = MAX_BODY_BYTES
): Effect.Effect<string, BodyTooLarge | HttpClientError.HttpClientError> => {
  const declared = Number(response.headers["content-length"])
  if (declared > cap) return Effect.fail(new BodyTooLarge(declared, cap))
  if (declared === 0) return Effect.succeed("")
  const encoding = response.headers["content-encoding"]
  if (declared > 0 && (encoding === undefined || encoding === "identity")) return response.text
  const chunks: Array<Uint8Array> = []
  let bytes = 0
  return response.stream.pipe(
    Stream.runForEach((chunk) => {
      bytes += chunk.byteLength
      if (bytes > cap) return Effect.fail(new BodyTooLarge(bytes, cap))
      chunks.push(chunk)
      return Effect.void
    }),
    Effect.catchIf(
      (error): error is HttpClientError.HttpClientError =>
        error._tag === "HttpClientError" && error.reason._tag === "EmptyBodyError",
      () => Effect.void
    ),
    Effect.map(() => {
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
