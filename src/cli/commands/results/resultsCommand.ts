/**
 * `datafold-ci results` as `main` loads it: the command, its renderings and its exit code.
 *
 * @module
 */
import type { Command } from "../../shell/Command.ts"
import { ExitCode } from "../../shell/ExitCode.ts"
import { reportJson } from "../../shell/report/reportJson.ts"
import { reportMarkdown } from "../../shell/report/reportMarkdown.ts"
import { reportText } from "../../shell/report/reportText.ts"
import { results, type ResultsOutcome } from "./results.ts"

/** `results`: a CI run's report; exit 12 when a `--fail-on` gate tripped. */
export const resultsCommand: Command<ResultsOutcome> = {
  run: results,
  text: (outcome) => reportText(outcome.report, outcome.trips),
  json: (outcome) => reportJson(outcome.report, outcome.gates, outcome.trips),
  summary: (outcome) => reportMarkdown(outcome.report, outcome.trips),
  exitCode: (outcome) => (outcome.trips.length > 0 ? ExitCode.GateTripped : ExitCode.Triggered)
}
