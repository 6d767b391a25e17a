/**
 * Errors raised while finding the facts of a pull request.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { prFactLabels, PrFactName } from "./PrFact.ts"

/**
 * A PR fact could not be found: no flag gave it, the CI environment did not have it and
 * git could not work it out.
 */
export class MissingPrFactError extends Schema.TaggedError<MissingPrFactError>()("MissingPrFactError", {
  /** Which fact is missing. */
  fact: PrFactName,
  /** Every source consulted, in order, each with why it gave nothing. */
  sourcesTried: Schema.Array(Schema.String),
  /** The flag that supplies the fact, e.g. `--base-sha`. */
  flag: Schema.String,
  /** What to do about it, when there is something more specific than "pass the flag". */
  hint: Schema.optional(Schema.String)
}) {
  /** Says which fact is missing, what was tried and which flag supplies it. */
  override get message(): string {
    const tried = this.sourcesTried.length === 0 ? " nothing" : this.sourcesTried.map((s) => `\n  - ${s}`).join("")
    const hint = this.hint === undefined ? "" : `\n${this.hint}`
    return `Could not find the ${prFactLabels[this.fact]}. Tried:${tried}\n` +
      `Pass it with ${this.flag}.${hint}`
  }
}

/** The GitHub Actions event file named by `GITHUB_EVENT_PATH` cannot be read or is not a JSON object. */
export class CiEventFileError extends Schema.TaggedError<CiEventFileError>()("CiEventFileError", {
  /** The path from `GITHUB_EVENT_PATH`. */
  path: Schema.String,
  /** Why it could not be used. */
  reason: Schema.String
}) {
  /** Names the file and the reason. */
  override get message(): string {
    return `Cannot use the GitHub event file ${this.path} (from GITHUB_EVENT_PATH): ${this.reason}`
  }
}
