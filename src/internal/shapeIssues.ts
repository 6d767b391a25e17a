/**
 * Effect 3's decode failure as the shared core's plain issues (`core/shapeIssue.ts`):
 * each leaf of the `ParseError`'s tree, its path and what the schema expected there.
 */
import * as ParseResult from "effect/ParseResult"
import type { ShapeIssue } from "../core/shapeIssue.ts"

/** What a leaf's message says was expected: `Expected X, actual Y` gives `X`. */
const expectedOf = (issue: ParseResult.ArrayFormatterIssue): string => {
  if (issue._tag === "Missing") return "present"
  const match = /^Expected ([\s\S]*), actual [\s\S]*$/.exec(issue.message)
  return match?.[1] ?? "a value of another shape"
}

/** The issues of a `ParseError`, in the core's terms. */
export const shapeIssuesOf = (error: ParseResult.ParseError): ReadonlyArray<ShapeIssue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({ path: issue.path, expected: expectedOf(issue) }))
