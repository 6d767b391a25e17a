/**
 * `datafold-ci runs` as `main` loads it: the command and its renderings.
 *
 * @module
 */
import type { Command } from "../../shell/Command.ts"
import { runs, type RunsOutcome } from "./runs.ts"
import { runsJson, runsSummary, runsText } from "./runsOutput.ts"

/** `runs`: list a CI configuration's runs. */
export const runsCommand: Command<RunsOutcome> = {
  run: runs,
  text: runsText,
  json: runsJson,
  summary: runsSummary
}
