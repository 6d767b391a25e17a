/**
 * Effect 4's decode failure as the shared core's plain issues (`core/shapeIssue.ts`):
 * each issue of the `SchemaError`, its path and what the schema expected there.
 */
import type * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type { ShapeIssue } from "../../core/shapeIssue.ts"

const format = SchemaIssue.makeFormatterStandardSchemaV1()

/** What an issue's message says was expected: `Expected X` gives `X`. */
const expectedOf = (message: string): string => {
  if (/^Missing key/i.test(message)) return "present"
  const match = /^Expected ([\s\S]*?)(?:, got [\s\S]*)?$/.exec(message)
  return match?.[1] ?? "a value of another shape"
}

/** The issues of a `SchemaError`, in the core's terms. */
export const shapeIssuesOf = (error: Schema.SchemaError): ReadonlyArray<ShapeIssue> =>
  format(error.issue).issues.map((issue) => ({
    path: (issue.path ?? []).map((key) => (typeof key === "object" && key !== null && "key" in key ? key.key : key)),
    expected: expectedOf(issue.message)
  }))
