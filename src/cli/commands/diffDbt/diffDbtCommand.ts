/**
 * `datafold-ci diff dbt` as `main` loads it: the command, its renderings and its exit code.
 *
 * @module
 */
import type { Command } from "../../shell/Command.ts"
import { ExitCode } from "../../shell/ExitCode.ts"
import { diffDbt, type DiffDbtOutcome } from "./diffDbt.ts"
import { diffDbtJson, diffDbtSummary, diffDbtText } from "./diffDbtOutput.ts"

/** `diff dbt`: a data diff per model the last dbt run built; exit 12 when a `--fail-on` gate tripped. */
export const diffDbtCommand: Command<DiffDbtOutcome> = {
  run: diffDbt,
  text: diffDbtText,
  json: diffDbtJson,
  summary: diffDbtSummary,
  exitCode: (outcome) =>
    outcome._tag === "Diffed" && outcome.trips.length > 0 ? ExitCode.GateTripped : ExitCode.Triggered
}
