/**
 * An answer of an unexpected shape, in the user's words: which field was wrong, what was
 * expected and what came instead, never a schema's internals (its tree, its "Encoded
 * side", its class names). Each Effect major turns its own decode failure into
 * {@link ShapeIssue}s (a path and the schema's words for what it expected); the words
 * here are the same for both.
 *
 * @since 0.2.0
 */

/**
 * One place where an answer differs from its documented shape: the path to it (field
 * names and list indexes; empty for the body itself) and what the schema expected there,
 * in the schema's own words (`"number | null"`, `"an integer"`, `"ReadonlyArray<…>"`).
 *
 * @since 0.2.0
 * @category models
 */
export interface ShapeIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly expected: string
}

/** Splits `a | b<c | d>` at its top-level bars. */
const alternatives = (words: string): ReadonlyArray<string> => {
  const parts: Array<string> = []
  let depth = 0
  let start = 0
  for (let index = 0; index < words.length; index++) {
    const char = words[index]
    if (char === "<" || char === "(" || char === "{" || char === "[") depth++
    else if (char === ">" || char === ")" || char === "}" || char === "]") depth--
    else if (char === "|" && depth === 0) {
      parts.push(words.slice(start, index).trim())
      start = index + 1
    }
  }
  parts.push(words.slice(start).trim())
  return parts
}

/** One alternative in plain words; `undefined` for one that only says a field may be left out. */
const plainAlternative = (word: string): string | undefined => {
  if (word === "undefined" || word === "never") return undefined
  if (word === "present") return "present"
  if (word === "number" || word === "Number" || word === "a finite number") return "a number"
  if (word === "Int" || word === "an integer" || word === "int") return "a whole number"
  if (word === "string" || word === "String") return "text"
  if (word === "null") return "null"
  if (word === "boolean" || word === "Boolean") return "true or false"
  if (/^(Readonly)?Array\b|^array$|^\[/.test(word)) return "a list"
  if (/^"[^"]*"$/.test(word) || /^-?\d/.test(word) || word === "true" || word === "false") return word
  if (/^an? [a-z]/.test(word) && !/[<>()]/.test(word)) return word
  return "an object"
}

/**
 * What a schema's words for the expected value say, in plain words: `"a whole number or
 * null"`, `"text"`, `"a list"`, `"an object"`.
 *
 * @since 0.2.0
 * @category messages
 */
export const plainExpected = (words: string): string => {
  const plain = [...new Set(alternatives(words).flatMap((word) => plainAlternative(word) ?? []))]
  return plain.length === 0 ? "to be left out" : plain.join(" or ")
}

const MAX_TEXT = 40

/**
 * What a value is, in plain words: `the text "12"`, `the number 1.5`, `a list`, `missing`.
 *
 * @since 0.2.0
 * @category messages
 */
export const plainActual = (value: unknown): string => {
  if (value === undefined) return "missing"
  if (value === null) return "null"
  if (typeof value === "string") {
    const shown = value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value
    return `the text ${JSON.stringify(shown)}`
  }
  if (typeof value === "number") return `the number ${value}`
  if (typeof value === "boolean") return String(value)
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : "a list"
  return "an object"
}

/** The value at `path` in `json`, `undefined` when there is none. */
const valueAt = (json: unknown, path: ReadonlyArray<PropertyKey>): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      value !== null && typeof value === "object" && typeof key !== "symbol"
        ? (value as Record<string | number, unknown>)[key]
        : undefined,
    json
  )

/** Where a path points, in plain words. */
const placeOf = (path: ReadonlyArray<PropertyKey>): string => {
  if (path.length === 0) return "the body"
  const last = path[path.length - 1]
  const field = typeof last === "number" ? `item ${last}` : `field "${String(last)}"`
  const within = path.slice(0, -1).map((key) => (typeof key === "number" ? `item ${key}` : `"${String(key)}"`))
  return within.length === 0 ? field : `${field} of ${within.join(" in ")}`
}

/** How many places an answer's description names at most. */
const MAX_ISSUES = 3

/**
 * The issues of a decode, in plain words, from `json` (the decoded body, for what each
 * wrong place holds): `field "ci_run_id" should be a whole number or null, but is the
 * text "12"`. Issues at the same place (the alternatives of a union) are one.
 *
 * @since 0.2.0
 * @category messages
 */
export const describeShapeIssues = (issues: ReadonlyArray<ShapeIssue>, json: unknown): string => {
  const byPlace = new Map<string, { path: ReadonlyArray<PropertyKey>; expected: Array<string> }>()
  for (const issue of issues) {
    const key = JSON.stringify(issue.path.map(String))
    const entry = byPlace.get(key) ?? { path: issue.path, expected: [] }
    entry.expected.push(issue.expected)
    byPlace.set(key, entry)
  }
  const places = [...byPlace.values()]
  const lines = places.slice(0, MAX_ISSUES).map(({ expected, path }) =>
    `${placeOf(path)} should be ${plainExpected(expected.join(" | "))}, but is ${plainActual(valueAt(json, path))}`
  )
  const more = places.length - MAX_ISSUES
  if (places.length === 0) return "it is not what the API documents"
  return lines.join("; ") + (more > 0 ? `; and ${more} more` : "")
}
