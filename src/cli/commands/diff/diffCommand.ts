/**
 * `datafold-ci diff create|wait|show|list|cancel` as `main` loads them: one module, so
 * the other commands load none of them (`diff dbt` has a module of its own).
 *
 * @module
 */
import type { DiffCommandName } from "../../args/CliArgs.ts"
import type { Command } from "../../shell/Command.ts"
import { diffCancelCommand } from "./diffCancel.ts"
import { diffCreateCommand } from "./diffCreate.ts"
import { diffListCommand } from "./diffList.ts"
import { diffShowCommand } from "./diffShow.ts"
import { diffWaitCommand } from "./diffWait.ts"

/**
 * Hands the named `diff` command to `use`, whatever its result type: each command's
 * renderings go with its own work.
 */
export const withDiffCommand = <R>(
  name: Exclude<DiffCommandName, "dbt">,
  use: <A>(command: Command<A>) => R
): R => {
  switch (name) {
    case "create":
      return use(diffCreateCommand)
    case "wait":
      return use(diffWaitCommand)
    case "show":
      return use(diffShowCommand)
    case "list":
      return use(diffListCommand)
    case "cancel":
      return use(diffCancelCommand)
  }
}
