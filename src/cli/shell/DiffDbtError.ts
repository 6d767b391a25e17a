/**
 * The errors of `datafold-ci diff dbt` that are the CLI's own: a dbt file it cannot use
 * (a missing or malformed `manifest.json`, `run_results.json` or `dbt_project.yml`),
 * and a dbt run that built no model. Both mean nothing was sent (exit 2).
 *
 * @module
 */
import * as Data from "effect/Data"

/** A dbt file `diff dbt` reads is missing, unreadable or not what dbt writes. */
export class DbtProjectFileError extends Data.TaggedError("DbtProjectFileError")<{
  /** The file, as the command resolved it. */
  readonly file: string
  /** What is wrong, in words. */
  readonly problem: string
  /** What to do about it. */
  readonly hint: string
}> {
  /** Names the file, the problem and what to do. */
  override get message(): string {
    return `Cannot use ${this.file}: ${this.problem}. ${this.hint}`
  }
}

/** The last dbt command built no model: there is nothing to diff. */
export class NoBuiltModelsError extends Data.TaggedError("NoBuiltModelsError")<{
  /** `run_results.json`, as resolved. */
  readonly file: string
  /** How many results it lists, of any kind. */
  readonly results: number
}> {
  /** What the file holds and what to run first. */
  override get message(): string {
    return `${this.file} lists no model that the last dbt command built successfully (${this.results} results). ` +
      "Run diff dbt right after dbt run or dbt build of the PR's models, with the same --target-folder."
  }
}
