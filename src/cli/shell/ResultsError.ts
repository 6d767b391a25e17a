/**
 * The failures of reading a run's results that are the CLI's own: no run to report on,
 * and a report file that cannot be written.
 *
 * @module
 */
import * as Data from "effect/Data"

/** No CI run of the PR's commit is listed: nothing to report on yet. */
export class NoCiRunFoundError extends Data.TaggedError("NoCiRunFoundError")<{
  readonly ciConfigId: number
  readonly prNumber: number
  readonly prSha: string
}> {
  override get message(): string {
    return `No Datafold CI run found for PR #${this.prNumber} at commit ${
      this.prSha.slice(0, 7)
    } in CI config ${this.ciConfigId}. Trigger or upload first; add --wait to wait for the run to appear, or pass --run-id.`
  }
}

/** A `--markdown` or `--junit` file could not be written. */
export class ReportFileError extends Data.TaggedError("ReportFileError")<{
  readonly flag: string
  readonly path: string
  readonly reason: string
}> {
  override get message(): string {
    return `Could not write ${this.flag} ${this.path} (${this.reason}). Check that its folder exists and is writable.`
  }
}
