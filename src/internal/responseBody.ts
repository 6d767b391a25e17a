/**
 * Reading an answer's body within the size cap ({@link MAX_BODY_BYTES}), from a web
 * `Response` or a Node stream. An `@effect/platform` response is read by
 * `readCappedResponse.ts`, kept apart so a wire's users do not load the Stream code.
 */
import { MAX_BODY_BYTES } from "../core/bodyCap.ts"

/** A body larger than its cap ({@link MAX_BODY_BYTES} unless the call reads more). */
export class BodyTooLarge {
  readonly _tag = "BodyTooLarge"
  constructor(readonly bytes: number, readonly cap: number = MAX_BODY_BYTES) {}
}

/** Chunks of known total length as one array. */
const concatChunks = (chunks: ReadonlyArray<Uint8Array>, bytes: number): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!
  const whole = new Uint8Array(bytes)
  let offset = 0
  for (const chunk of chunks) {
    whole.set(chunk, offset)
    offset += chunk.byteLength
  }
  return whole
}

/** Chunks of known total length as one text. */
export const decodeChunks = (chunks: ReadonlyArray<Uint8Array>, bytes: number): string =>
  chunks.length === 0 ? "" : new TextDecoder().decode(concatChunks(chunks, bytes))

/**
 * A web `Response`'s body as text within the cap, by the same rules as
 * `readCappedText` (`readCappedResponse.ts`): a declared length over the cap is refused unread, one within it
 * with no content coding is read whole, anything else is counted chunk by chunk as the
 * runtime decodes it, and reading stops (the body is cancelled) at the first chunk over.
 */
export const readCappedWebText = async (response: Response, cap: number = MAX_BODY_BYTES): Promise<string> => {
  const declared = Number(response.headers.get("content-length") ?? Number.NaN)
  if (declared > cap) throw new BodyTooLarge(declared, cap)
  const body = response.body
  if (declared === 0 || body === null) return ""
  const encoding = response.headers.get("content-encoding")
  if (declared > 0 && (encoding === null || encoding === "identity")) return response.text()
  const reader = body.getReader()
  const chunks: Array<Uint8Array> = []
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return decodeChunks(chunks, bytes)
    bytes += value.byteLength
    if (bytes > cap) {
      reader.cancel().catch(() => undefined)
      throw new BodyTooLarge(bytes, cap)
    }
    chunks.push(value)
  }
}

/**
 * An async iterable body (a Node stream, any content coding already undone) as text
 * within the cap: a declared length over the cap is refused unread (pass it only when the
 * body is not coded), and reading stops, `abandon` is called, at the first chunk over.
 */
export const readCappedChunks = async (
  body: AsyncIterable<Uint8Array>,
  declaredLength: string | undefined,
  abandon: () => void,
  cap: number = MAX_BODY_BYTES
): Promise<string> => {
  const declared = Number(declaredLength ?? Number.NaN)
  if (declared > cap) {
    abandon()
    throw new BodyTooLarge(declared, cap)
  }
  const chunks: Array<Uint8Array> = []
  let bytes = 0
  for await (const chunk of body) {
    bytes += chunk.byteLength
    if (bytes > cap) {
      abandon()
      throw new BodyTooLarge(bytes, cap)
    }
    chunks.push(chunk)
  }
  return decodeChunks(chunks, bytes)
}
