/**
 * `datafold-ci trigger` as `main` loads it: the command and its renderings.
 *
 * @module
 */
import type { Command } from "../../shell/Command.ts"
import { reportedExitCode } from "../../shell/runReportOutput.ts"
import { trigger, type TriggerOutcome } from "./trigger.ts"
import { triggerJson, triggerSummary, triggerText } from "./triggerOutput.ts"

/** `trigger`: start a run (or describe it with `--dry-run`), then upload diffs with `--diffs`. */
export const triggerCommand: Command<TriggerOutcome> = {
  run: trigger,
  text: triggerText,
  json: triggerJson,
  summary: triggerSummary,
  exitCode: (outcome) => reportedExitCode(outcome._tag === "Triggered" ? outcome.reported : undefined)
}
