/**
 * The one function that removes the API key from text that came from outside: a
 * server's body or headers, or a runtime's error message.
 */

/** Text with every form of the key replaced by `[redacted]`. */
export type Scrub = (text: string) => string

/**
 * The scrubber for one key, as sent (surrounding white space already trimmed). It
 * covers the key as written, as escaped inside a JSON string and as percent-encoded in
 * a URL. The raw, untrimmed value and the `Key <key>` header both contain the sent
 * form, so they are covered too. Keys are at least `MIN_API_KEY_LENGTH` characters, so
 * a scrub never mangles ordinary words.
 */
export const makeScrub = (key: string): Scrub => {
  const forms = [...new Set([key, JSON.stringify(key).slice(1, -1), encodeURIComponent(key)])]
  return (text) => {
    let scrubbed = text
    for (const form of forms) {
      if (scrubbed.includes(form)) scrubbed = scrubbed.split(form).join("[redacted]")
    }
    return scrubbed
  }
}
