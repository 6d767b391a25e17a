/**
 * A file's name as bytes, as the file system holds it: Linux allows any bytes but `/` and
 * NUL, and a name that is not UTF-8 (written by a tool in another locale) is still a file
 * to upload. The archive stores the bytes as they are; messages show them readable, each
 * byte that is not part of a UTF-8 character as `\xHH`.
 *
 * @since 0.2.0
 */

const utf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * Whether `bytes` are UTF-8 throughout.
 *
 * @since 0.2.0
 * @category rules
 */
export const isUtf8 = (bytes: Uint8Array): boolean => {
  try {
    utf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

/** How many bytes a UTF-8 character starting with `lead` has (1 for a byte no character starts with). */
const lengthOf = (lead: number): number => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1)

/**
 * `bytes` as text: UTF-8 where they are, each other byte as `\xHH` (`caf\xE9.sql` for
 * Latin-1's `café.sql`).
 *
 * @since 0.2.0
 * @category constructors
 */
export const displayName = (bytes: Uint8Array): string => {
  try {
    return utf8.decode(bytes)
  } catch {
    let text = ""
    for (let at = 0; at < bytes.byteLength;) {
      const lead = bytes[at]!
      if (lead < 0x80) {
        text += String.fromCharCode(lead)
        at += 1
        continue
      }
      const length = lengthOf(lead)
      const character = length > 1 && at + length <= bytes.byteLength ? bytes.subarray(at, at + length) : undefined
      if (character !== undefined && isUtf8(character)) {
        text += utf8.decode(character)
        at += length
      } else {
        text += `\\x${lead.toString(16).toUpperCase().padStart(2, "0")}`
        at += 1
      }
    }
    return text
  }
}
