/**
 * The error of `diff create --body FILE`, in a module of its own so that only `diff
 * create` loads it: every command loads `CliError.ts`.
 *
 * @module
 */
import * as Data from "effect/Data"

/**
 * The body of `diff create --body FILE` cannot be used: the file is missing or
 * unreadable, or it is not one JSON object. What is wrong inside the object is named
 * field by field when the diff is checked.
 */
export class DiffBodyError extends Data.TaggedError("DiffBodyError")<{
  /** The file as given. */
  readonly file: string
  /** Why it cannot be used. */
  readonly reason: string
}> {
  /** Names the file, the reason and the expected shape. */
  override get message(): string {
    return `Cannot use --body ${this.file}: ${this.reason}. Expected one JSON object with the fields of ` +
      `POST /api/v1/datadiffs, such as {"data_source1_id": 7, "data_source2_id": 7, "table1": ["DB", "PROD", ` +
      `"ORDERS"], "table2": ["DB", "PR_42", "ORDERS"], "pk_columns": ["ID"]}; flags given beside it override its fields.`
  }
}
