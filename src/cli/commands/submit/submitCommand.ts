/**
 * `datafold-ci submit` as `main` loads it: the command and its renderings.
 *
 * @module
 */
import type { Command } from "../../shell/Command.ts"
import { reportedExitCode } from "../../shell/runReportOutput.ts"
import { submit, type SubmitOutcome } from "./submit.ts"
import { submitJson, submitSummary, submitText } from "./submitOutput.ts"

/** `submit`: upload the tables to diff to the PR's waiting run. */
export const submitCommand: Command<SubmitOutcome> = {
  run: submit,
  text: submitText,
  json: submitJson,
  summary: submitSummary,
  exitCode: (outcome) => reportedExitCode(outcome._tag === "Submitted" ? outcome.reported : undefined)
}
