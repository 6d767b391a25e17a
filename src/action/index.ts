/**
 * The GitHub Action's entry (bundled into `action/index.js` by `npm run build:action`):
 * the `datafold-ci trigger` program with the action's inputs as its flags. It masks the API
 * key before anything else is printed, writes the step summary as the CLI does, sets the
 * `ci-run-id` and `run-id` outputs, and exits with the CLI's exit code.
 *
 * @module
 */
import process from "node:process"
import { main } from "../cli/main.ts"
import { programEnv, triggerArgs } from "./inputs.ts"
import { maskCommand, outputsFromJson, writeOutputs } from "./outputs.ts"

const env = programEnv(process.env)
for (const secret of [env["DATAFOLD_API_KEY"], env["DATAFOLD_APIKEY"]]) {
  if (secret !== undefined && secret.trim() !== "") process.stdout.write(maskCommand(secret))
}

let stdout = ""
const code = await main(triggerArgs(process.env), {
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
    "datafold-ci: warning: GITHUB_OUTPUT is not set; the ci-run-id and run-id outputs were not set\n"
  )
}
// exitCode rather than exit(): pending stdout and stderr writes are flushed first.
process.exitCode = code
