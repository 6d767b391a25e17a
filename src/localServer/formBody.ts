/**
 * Reads a form body, `multipart/form-data` or `application/x-www-form-urlencoded`, as the
 * local server's dbt endpoints receive it. A multipart body is read in place: each part's
 * bytes are a view into the body, never a copy, so a 150 MB upload costs the server the
 * body alone, about twice over while a chunked one is joined. (The web `Request.formData()`
 * was measured first, `bench/serverUpload/`: on Node 20, 22 and 24 and on Deno a 150 MB
 * upload raised the peak RSS by 757 to 825 MiB, five copies of the body, against 175 to
 * 311 MiB here; the README's local-server section has the figures.)
 *
 * @since 0.2.0
 */
import { Buffer } from "node:buffer"

/**
 * One field of a form, as sent: a file part has a `filename` (possibly empty).
 *
 * @since 0.2.0
 * @category models
 */
export interface FormPart {
  readonly name: string
  readonly filename: string | undefined
  readonly contentType: string | undefined
  /** The part's bytes: a view into the request body. */
  readonly data: Uint8Array
}

/**
 * What a body holds: a form's parts, in the order sent; `NotAForm` when its content type
 * is neither form type (FastAPI then sees no form field at all); `Malformed` for a
 * multipart body that cannot be read (FastAPI: 400 "There was an error parsing the body").
 *
 * @since 0.2.0
 * @category models
 */
export type FormBody =
  | { readonly _tag: "Form"; readonly parts: ReadonlyArray<FormPart> }
  | { readonly _tag: "NotAForm" }
  | { readonly _tag: "Malformed" }

const malformed: FormBody = { _tag: "Malformed" }

/** `type/subtype; a=b; c="d"` → the lower-cased type and its parameters (quoted values unquoted). */
const parseHeaderValue = (value: string): { readonly essence: string; readonly params: Map<string, string> } => {
  const params = new Map<string, string>()
  const separator = value.indexOf(";")
  const essence = (separator === -1 ? value : value.slice(0, separator)).trim().toLowerCase()
  const pattern = /;\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g
  for (const match of value.slice(Math.max(separator, 0)).matchAll(pattern)) {
    const name = (match[1] ?? "").toLowerCase()
    const raw = match[2] === undefined ? (match[3] ?? "").trim() : match[2].replace(/\\(.)/g, "$1")
    if (!params.has(name)) params.set(name, raw)
  }
  return { essence, params }
}

/** RFC 5987's `filename*=utf-8''…`; `undefined` when it cannot be read. */
const extendedValue = (value: string | undefined): string | undefined => {
  const match = value === undefined ? null : /^utf-8'[^']*'(.*)$/i.exec(value)
  if (match === null) return undefined
  try {
    return decodeURIComponent(match[1] ?? "")
  } catch {
    return undefined
  }
}

const CRLF = Buffer.from("\r\n")
const HEADERS_END = Buffer.from("\r\n\r\n")

const partOf = (headerText: string, data: Uint8Array): FormPart | undefined => {
  const headers = new Map<string, string>()
  for (const line of headerText.split("\r\n")) {
    const colon = line.indexOf(":")
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const disposition = parseHeaderValue(headers.get("content-disposition") ?? "")
  const name = disposition.params.get("name")
  if (disposition.essence !== "form-data" || name === undefined) return undefined
  const filename = extendedValue(disposition.params.get("filename*")) ?? disposition.params.get("filename")
  return { name, filename, contentType: headers.get("content-type"), data }
}

const readMultipart = (body: Uint8Array, boundary: string): FormBody => {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const delimiter = Buffer.from(`--${boundary}`, "utf8")
  const nextDelimiter = Buffer.concat([CRLF, delimiter])
  const parts: Array<FormPart> = []
  let at = bytes.indexOf(delimiter)
  if (at === -1) return malformed
  for (;;) {
    let cursor = at + delimiter.length
    // The close delimiter `--boundary--` ends the form; anything after it is epilogue.
    if (bytes[cursor] === 0x2d && bytes[cursor + 1] === 0x2d) return { _tag: "Form", parts }
    while (bytes[cursor] === 0x20 || bytes[cursor] === 0x09) cursor++
    if (bytes[cursor] !== 0x0d || bytes[cursor + 1] !== 0x0a) return malformed
    cursor += 2
    const headersEnd = bytes[cursor] === 0x0d && bytes[cursor + 1] === 0x0a
      ? cursor - 2
      : bytes.indexOf(HEADERS_END, cursor)
    if (headersEnd === -1) return malformed
    const contentStart = headersEnd + 4
    const next = bytes.indexOf(nextDelimiter, contentStart)
    if (next === -1) return malformed
    const part = partOf(bytes.toString("utf8", cursor, Math.max(cursor, headersEnd)), body.subarray(contentStart, next))
    if (part === undefined) return malformed
    parts.push(part)
    at = next + CRLF.length
  }
}

const readUrlEncoded = (body: Uint8Array): FormBody => {
  const encoder = new TextEncoder()
  const parts = [...new URLSearchParams(new TextDecoder().decode(body))].map(([name, value]): FormPart => ({
    name,
    filename: undefined,
    contentType: undefined,
    data: encoder.encode(value)
  }))
  return { _tag: "Form", parts }
}

/**
 * Reads a body by its `Content-Type`.
 *
 * @since 0.2.0
 * @category parsing
 */
export const readFormBody = (contentType: string | undefined, body: Uint8Array): FormBody => {
  const { essence, params } = parseHeaderValue(contentType ?? "")
  if (essence === "application/x-www-form-urlencoded") return readUrlEncoded(body)
  if (essence !== "multipart/form-data") return { _tag: "NotAForm" }
  const boundary = params.get("boundary")
  return boundary === undefined || boundary === "" || boundary.length > 200 ? malformed : readMultipart(body, boundary)
}

/**
 * A text part's value, decoded as UTF-8.
 *
 * @since 0.2.0
 * @category parsing
 */
export const textOf = (part: FormPart): string => new TextDecoder().decode(part.data)
