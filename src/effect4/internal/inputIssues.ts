/**
 * Effect 4 schema issues as the client's input error: one `InputIssue` per refused field,
 * named and worded as the Effect 3 entry names and words them (the shared core's rules).
 */
import * as SchemaIssue from "effect/SchemaIssue"
import { fieldName, INPUT_WORDS, mostSpecific } from "../../core/inputRules.ts"
import { DatafoldInputError, InputIssue } from "../DatafoldError.ts"

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/** The value at `path` inside `input`, `undefined` when any step is absent. */
const valueAt = (input: unknown, path: ReadonlyArray<PropertyKey>): unknown => {
  let current: unknown = input
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

/**
 * The input error for a decoding failure of `input`; an issue about the whole input is
 * named `root`. A field with no value at all "is missing", whatever its type asked for.
 */
export const inputErrorFromIssue = (issue: SchemaIssue.Issue, input: unknown, root: string): DatafoldInputError => {
  const issues = formatter(issue).issues.map((item) => {
    const path = (item.path ?? []).map((segment) =>
      typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment
    )
    return { path, message: item.message, absent: path.length > 0 && valueAt(input, path) === undefined }
  })
  // Union members each report their own mismatch; keep the most specific per field.
  const kept = mostSpecific(
    issues,
    (item) => item.path.map(String).join("."),
    (item) => item.message.startsWith("Expected ")
  )
  return new DatafoldInputError({
    issues: kept.map((item) =>
      new InputIssue({ field: fieldName(item.path, root), problem: item.absent ? INPUT_WORDS.missing : item.message })
    )
  })
}

/** Fields the shared core's checks refused (`core/dbt/dbtInput.ts`), as the client's input error. */
export const inputErrorOfFields = (
  issues: ReadonlyArray<{ readonly field: string; readonly problem: string }>
): DatafoldInputError => new DatafoldInputError({ issues: issues.map((issue) => new InputIssue(issue)) })
