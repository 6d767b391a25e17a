/**
 * Undoing an answer's content coding on Node, for the transports that hand over the raw
 * bytes (undici's `request`, `node:http`), as `fetch` would do it: gzip, deflate and br.
 * `node:zlib` is loaded only when an answer is coded, so a plain answer never pays for it.
 */
import { pipeline, type Readable } from "node:stream"
import { readCappedChunks } from "./responseBody.ts"

/** Node's response headers: lower-case names, a list for a repeated header. */
export type NodeHeaders = Record<string, string | ReadonlyArray<string> | undefined>

/** One header's value, a repeated one joined as `fetch` joins it. */
export const headerOf = (headers: NodeHeaders, name: string): string | undefined => {
  const value = headers[name]
  return value === undefined ? undefined : typeof value === "string" ? value : value.join(", ")
}

/** Every header by its lower-case name, repeated ones joined. */
export const headerRecord = (headers: NodeHeaders): Record<string, string | undefined> => {
  const record: Record<string, string | undefined> = {}
  for (const name of Object.keys(headers)) record[name.toLowerCase()] = headerOf(headers, name)
  return record
}

type Decoder = "createGunzip" | "createInflate" | "createBrotliDecompress"

const decoders: Record<string, Decoder> = {
  gzip: "createGunzip",
  "x-gzip": "createGunzip",
  deflate: "createInflate",
  br: "createBrotliDecompress"
}

/** The `Content-Encoding` of an answer that is coded, or `undefined` for one that is not. */
export const codingOf = (headers: NodeHeaders): string | undefined => {
  const encoding = headerOf(headers, "content-encoding")
  return encoding === undefined || encoding === "identity" ? undefined : encoding
}

/**
 * The body with its content coding undone as it streams (a coding this client does not
 * know is left as it is, as `fetch` does); a failure of either stream fails the result.
 */
export const decodedBody = async (body: Readable, encoding: string | undefined): Promise<Readable> => {
  const decoder = encoding === undefined ? undefined : decoders[encoding.trim().toLowerCase()]
  if (decoder === undefined) return body
  const zlib = await import("node:zlib")
  return pipeline(body, zlib[decoder](), () => undefined)
}

/**
 * A Node answer's body as text within the cap: decoded first, so the cap counts decoded
 * bytes; a declared length is trusted for the refusal only when the body is not coded.
 * `body` is destroyed when reading stops early.
 */
export const cappedText = async (body: Readable, headers: NodeHeaders, cap?: number): Promise<string> => {
  const coding = codingOf(headers)
  return readCappedChunks(
    await decodedBody(body, coding),
    coding === undefined ? headerOf(headers, "content-length") : undefined,
    () => body.destroy(),
    cap
  )
}
