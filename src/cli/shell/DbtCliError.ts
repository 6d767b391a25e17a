/**
 * The errors of `datafold-ci dbt` that are the CLI's own, as plain `Data` errors like the
 * CLI's others (`CliError.ts`): a fact it could not find, and artifacts Datafold does not
 * have.
 *
 * @module
 */
import * as Data from "effect/Data"

/** The commit (or branch) of a dbt command could not be found. */
export class MissingDbtFactError extends Data.TaggedError("MissingDbtFactError")<{
  readonly what: "commit" | "branch"
  /** The flag that supplies it. */
  readonly flag: string
  /** Every source consulted, in order, each with why it gave nothing. */
  readonly sourcesTried: ReadonlyArray<string>
  readonly hint?: string | undefined
}> {
  /** What is missing, what was tried, and which flag gives it. */
  override get message(): string {
    const what = this.what === "commit" ? "the commit the dbt artifacts were built from" : "the branch"
    const tried = this.sourcesTried.map((source) => `\n  - ${source}`).join("")
    return `Could not find ${what}. Tried:${tried}\nPass it with ${this.flag}.${
      this.hint === undefined ? "" : `\n${this.hint}`
    }`
  }
}

/** The post-upload check found no artifacts for the commit. */
export class DbtArtifactsMissingError extends Data.TaggedError("DbtArtifactsMissingError")<{
  readonly ciConfigId: number
  readonly commitSha: string
  readonly runType: string
  readonly branch: string
  /** The status Datafold answered instead of `ok`. */
  readonly status: string
}> {
  /** What Datafold answered, and what to do. */
  override get message(): string {
    return `Datafold has no ${this.runType} dbt artifacts of commit ${this.commitSha.slice(0, 7)} on branch ` +
      `${this.branch} in CI config ${this.ciConfigId} (status ${JSON.stringify(this.status)}). ` +
      `Upload them first (datafold-ci dbt upload), with the same CI config, run type and commit.`
  }
}

/** `check-primary-keys --fail-on-missing`: some models have no primary key. */
export class DbtPrimaryKeysMissingError extends Data.TaggedError("DbtPrimaryKeysMissingError")<{
  readonly ciConfigId: number
  /** How many models Datafold checked. */
  readonly models: number
  /** The models without a key, dbt's dotted names. */
  readonly missing: ReadonlyArray<string>
}> {
  /** How many, which (the first ten), and what to do. */
  override get message(): string {
    const shown = this.missing.slice(0, 10).join(", ")
    const more = this.missing.length > 10 ? ` and ${this.missing.length - 10} more` : ""
    return `${this.missing.length} of ${this.models} models have no primary key: ${shown}${more}. ` +
      `Declare one in dbt (a unique test or a primary key constraint), or leave out --fail-on-missing.`
  }
}
