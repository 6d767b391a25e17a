/**
 * `datafold-ci runs` as `main` loads it: the command and its renderings.
 *
 * @module
 */
import type { Command } from "./Command.ts"
import { runsSummary } from "./GithubActions.ts"
import { renderRunsText, runsToJson } from "./Output.ts"
import { runs, type RunsOutcome } from "./runs.ts"

/** `runs`: list a CI configuration's runs. */
export const runsCommand: Command<RunsOutcome> = {
  run: runs,
  text: renderRunsText,
  json: runsToJson,
  summary: runsSummary
}
