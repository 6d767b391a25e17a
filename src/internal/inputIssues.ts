/**
 * Fields the shared core's checks refused, as the client's input error: the one place
 * the Effect 3 calls (the wait, the dbt calls) turn `core/` field issues into a
 * `DatafoldInputError`.
 */
import type { FieldIssue } from "../core/dbt/dbtInput.ts"
import { DatafoldInputError, InputIssue } from "../DatafoldError.ts"

/** Fields the shared core's checks refused (`core/dbt/dbtInput.ts`), as the client's input error. */
export const inputErrorOfFields = (issues: ReadonlyArray<FieldIssue>): DatafoldInputError =>
  new DatafoldInputError({ issues: issues.map((issue) => new InputIssue(issue)) })
