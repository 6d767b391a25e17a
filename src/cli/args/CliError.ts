/**
 * The errors `datafold-ci` raises itself, before the library is asked to do anything:
 * a command line it cannot read, and settings (key, host, config id, timeout, retries)
 * that are missing or malformed. Both mean nothing was sent.
 *
 * Plain `Data` errors rather than `Schema` classes: `--json` shows their fields as they
 * are (`CliFailure.ts`), and a `Schema` class costs start-up time to build.
 *
 * @module
 */
import * as Data from "effect/Data"

/**
 * The command line cannot be read: an unknown command or option, a missing option
 * value, or an option the CLI refuses on purpose (`--api-key`).
 */
export class UsageError extends Data.TaggedError("UsageError")<{
  /** What is wrong, in one sentence. */
  readonly problem: string
  /** The command the line was for (`dbt upload`), when it names one: its help is the one to read. */
  readonly command?: string | undefined
}> {
  /** The problem and where to read the usage: the command's own help when the command is known. */
  override get message(): string {
    return this.command === undefined
      ? `${this.problem} Run \`datafold-ci --help\` for usage.`
      : `${this.problem} Run \`datafold-ci ${this.command} --help\` for its options.`
  }
}

/**
 * One setting that is missing or malformed, named as the user wrote it
 * (`--timeout`, `DATAFOLD_HOST`, …). `problem` reads on from the name:
 * "`--timeout` must be a positive number of seconds".
 */
export class SettingIssue extends Data.Class<{
  readonly setting: string
  readonly problem: string
}> {}

/**
 * One or more settings are missing or malformed: the API key, the host, the CI config
 * id, the timeout or the retry count. Every problem found is listed, not just the first.
 */
export class SettingsError extends Data.TaggedError("SettingsError")<{
  readonly issues: ReadonlyArray<SettingIssue>
}> {
  /** Each problem on its own line, so a CI log shows them all at once. */
  override get message(): string {
    const [first, ...rest] = this.issues
    if (first !== undefined && rest.length === 0) return `${first.setting} ${first.problem}`
    return `Fix these settings:${this.issues.map((issue) => `\n  - ${issue.setting} ${issue.problem}`).join("")}`
  }
}

/**
 * The diffs for `submit` (or `trigger --diffs`) cannot be read: the file is missing or
 * unreadable, stdin is a terminal, or the text is not a JSON array. What is wrong inside
 * the array is the library's `DatafoldInputError`, naming each field.
 */
export class DiffsFileError extends Data.TaggedError("DiffsFileError")<{
  /** The file as given, or `stdin`. */
  readonly source: string
  /** Why it cannot be used. */
  readonly reason: string
}> {
  /** Names the source, the reason and the expected shape. */
  override get message(): string {
    return `Cannot use the diffs from ${this.source}: ${this.reason}. ` +
      `Expected a JSON array such as [{"prod": "db.prod.orders", "pr": "db.pr_42.orders", "pk": ["id"]}] ` +
      `(the Datafold SDK's diffs file), from --diffs FILE, or on stdin with --diffs - or no --diffs.`
  }
}

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
