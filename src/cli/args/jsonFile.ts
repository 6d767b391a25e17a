/**
 * What a JSON file given on the command line (`--diffs FILE`, `--body FILE`) can be wrong
 * with, in words: why it could not be read, and why its text is not JSON.
 *
 * @module
 */

/** Why a file could not be read, in words. */
export const unreadableReason = (error: unknown): string => {
  const code = (error as { code?: unknown }).code
  if (code === "ENOENT") return "the file does not exist"
  if (code === "EISDIR") return "it is a directory"
  if (code === "EACCES") return "permission denied"
  return error instanceof Error ? error.message : String(error)
}

/** The text's JSON, or why it is not JSON (empty, or not parseable). */
export const parseJsonText = (
  raw: string
): { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly why: string } => {
  if (raw.trim() === "") return { ok: false, why: "it is empty" }
  try {
    return { ok: true, json: JSON.parse(raw) }
  } catch (error) {
    return { ok: false, why: `it is not JSON (${error instanceof Error ? error.message : String(error)})` }
  }
}

/** The kind of a JSON value, for "it is JSON but not …" messages. */
export const jsonKind = (json: unknown): string =>
  Array.isArray(json) ? "an array" : json === null ? "null" : typeof json
