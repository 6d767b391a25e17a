/**
 * `datafold-ci submit` as `main` loads it: the command and its renderings.
 *
 * @module
 */
import type { Command } from "./Command.ts"
import { submitSummary } from "./GithubActions.ts"
import { renderSubmitText, submitToJson } from "./Output.ts"
import { submit, type SubmitOutcome } from "./submit.ts"

/** `submit`: upload the tables to diff to the PR's waiting run. */
export const submitCommand: Command<SubmitOutcome> = {
  run: submit,
  text: renderSubmitText,
  json: submitToJson,
  summary: submitSummary
}
