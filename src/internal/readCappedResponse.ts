/**
 * Reading an `@effect/platform` response's body within the size cap, for the general path
 * (any `HttpClient`): the same rules as the wires' readers in `responseBody.ts`.
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { MAX_BODY_BYTES } from "../core/bodyCap.ts"
import { BodyTooLarge, decodeChunks } from "./responseBody.ts"

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
  response: HttpClientResponse.HttpClientResponse,
  cap: number = MAX_BODY_BYTES
): Effect.Effect<string, BodyTooLarge | HttpClientError.ResponseError> => {
  const declared = Number(response.headers["content-length"])
  if (declared > cap) return Effect.fail(new BodyTooLarge(declared, cap))
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
      if (bytes > cap) return Effect.fail(new BodyTooLarge(bytes, cap))
      chunks.push(chunk)
      return Effect.void
    }),
    Effect.as(undefined),
    Effect.catchIf(
      (error): error is HttpClientError.ResponseError => error._tag === "ResponseError" && error.reason === "EmptyBody",
      () => Effect.void
    ),
    Effect.map(() => decodeChunks(chunks, bytes))
  )
}
