/**
 * `datafold-ci dbt …` as `main` loads it: the commands and their renderings, in a module
 * of their own so no other command loads the dbt code (nor the ZIP writer under it).
 *
 * @module
 */
import type { DbtCommandName } from "../../args/CliArgs.ts"
import type { Command } from "../../shell/Command.ts"
import { dbt, type DbtOutcome } from "./dbt.ts"
import { dbtRenderings } from "./dbtOutput.ts"

/** One `dbt` command. */
export const dbtCommand = (name: DbtCommandName): Command<DbtOutcome> => ({
  run: (args, context) => dbt(name, args, context),
  ...dbtRenderings
})
