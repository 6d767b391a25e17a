/**
 * The GitHub Action's entry (bundled into `action/index.js` by `npm run build:action`):
 * the `datafold-ci` program (`trigger` unless the `command` input says `submit`,
 * `dbt-upload` or `dbt-upload-and-wait`) with the action's inputs as its flags. It masks
 * the API key before anything else is printed, writes the step summary as the CLI does,
 * sets the `ci-run-id`, `run-id` and `run-status` outputs, and exits with the CLI's exit code.
 *
 * @module
 */
import process from "node:process"
import { errorAnnotation } from "../cli/shell/workflowCommands.ts"
import { main } from "../cli/main.ts"
import { actionCommandOf, commandArgs, programEnv } from "./inputs.ts"
import { maskCommand, outputsFromJson, writeOutputs } from "./outputs.ts"

const env = programEnv(process.env)
for (const secret of [env["DATAFOLD_API_KEY"], env["DATAFOLD_APIKEY"]]) {
  if (secret !== undefined && secret.trim() !== "") process.stdout.write(maskCommand(secret))
}

const chosen = actionCommandOf(process.env)
if ("problem" in chosen) {
  process.stderr.write(errorAnnotation(chosen.problem, "Datafold action input"))
  process.exit(2)
}

let stdout = ""
const code = await main(commandArgs(process.env, chosen.command), {
  env,
  cwd: process.cwd(),
  io: {
    stdout: (text) => {
      stdout += text
      process.stdout.write(text)
    },
    stderr: (text) => void process.stderr.write(text)
  }
})

const outputs = outputsFromJson(stdout)
if (outputs !== undefined && !writeOutputs(env, outputs)) {
  process.stderr.write(
    "datafold-ci: warning: GITHUB_OUTPUT is not set; the ci-run-id, run-id and run-status outputs were not set\n"
  )
}
// exitCode rather than exit(): pending stdout and stderr writes are flushed first.
process.exitCode = code
