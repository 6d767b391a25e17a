/**
 * `datafold-ci trigger` as `main` loads it: the command and its renderings.
 *
 * @module
 */
import type { Command } from "./Command.ts"
import { outcomeSummary } from "./GithubActions.ts"
import { renderText, toJson } from "./Output.ts"
import { trigger, type TriggerOutcome } from "./trigger.ts"

/** `trigger`: start a run (or describe it with `--dry-run`), then upload diffs with `--diffs`. */
export const triggerCommand: Command<TriggerOutcome> = {
  run: trigger,
  text: renderText,
  json: toJson,
  summary: outcomeSummary
}
