/**
 * Errors raised while finding the facts of a pull request. Plain `Data` errors, as the
 * CLI's other own errors (`CliError.ts`).
 *
 * @module
 */
import * as Data from "effect/Data"
import { prFactLabels, type PrFactName } from "./PrFact.ts"

/**
 * A PR fact could not be found: no flag gave it, the CI environment did not have it and
 * git could not work it out.
 */
export class MissingPrFactError extends Data.TaggedError("MissingPrFactError")<{
  /** Which fact is missing. */
  readonly fact: PrFactName
  /** Every source consulted, in order, each with why it gave nothing. */
  readonly sourcesTried: ReadonlyArray<string>
  /** The flag that supplies the fact, e.g. `--base-sha`. */
  readonly flag: string
  /** What to do about it, when there is something more specific than "pass the flag". */
  readonly hint?: string | undefined
}> {
  /** Says which fact is missing, what was tried and which flag supplies it. */
  override get message(): string {
    const tried = this.sourcesTried.length === 0 ? " nothing" : this.sourcesTried.map((s) => `\n  - ${s}`).join("")
    const hint = this.hint === undefined ? "" : `\n${this.hint}`
    return `Could not find the ${prFactLabels[this.fact]}. Tried:${tried}\n` +
      `Pass it with ${this.flag}.${hint}`
  }
}

/** The GitHub Actions event file named by `GITHUB_EVENT_PATH` cannot be read or is not a JSON object. */
export class CiEventFileError extends Data.TaggedError("CiEventFileError")<{
  /** The path from `GITHUB_EVENT_PATH`. */
  readonly path: string
  /** Why it could not be used. */
  readonly reason: string
}> {
  /** Names the file and the reason. */
  override get message(): string {
    return `Cannot use the GitHub event file ${this.path} (from GITHUB_EVENT_PATH): ${this.reason}`
  }
}
