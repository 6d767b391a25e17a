/**
 * Bodies as a short line for error messages: an excerpt of any text (a proxy's HTML page
 * reduced to its words), and the server's own words from an error body.
 *
 * @since 0.1.0
 */

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
 *
 * @since 0.1.0
 * @category bodies
 */
export const excerpt = (text: string, contentType?: string): string => {
  const folded = looksLikeHtml(text, contentType) ? pageText(text) : text.replace(/\s+/g, " ").trim()
  return folded.length > EXCERPT_CHARS ? `${folded.slice(0, EXCERPT_CHARS)}…` : folded
}

/**
 * The server's own words from an error body: FastAPI's `detail` (a string or a list of
 * items), problem+json's `title` and `detail`, or else an excerpt of the text.
 *
 * @since 0.1.0
 * @category bodies
 */
export const serverWords = (text: string, json: unknown, contentType?: string): string => {
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
