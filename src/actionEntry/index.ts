/**
 * The GitHub Action's entry (bundled into `action/index.js` by `npm run build:action`):
 * the `datafold-ci` command the `command` input names (`trigger` by default; every
 * command but `serve` and `doctor`) with the action's inputs as its flags, checked first
 * (`commandLine.ts`). It masks the API key before anything else is printed, lets the CLI
 * write the step summary, sets the outputs from the CLI's `--json` line (writing the
 * report's JSON file when no other report file was asked for), and exits with the CLI's
 * exit code.
 *
 * @module
 */
import { appendFileSync } from "node:fs"
import process from "node:process"
import { main } from "../cli/main.ts"
import { ExitCode } from "../cli/shell/ExitCode.ts"
import { block } from "../cli/shell/markdown.ts"
import { errorAnnotation } from "../cli/shell/workflowCommands.ts"
import { actionCommandLine } from "./commandLine.ts"
import { programEnv } from "./inputs.ts"
import { maskCommand, outputsOf, reportOf, resultJson, writeOutputs } from "./outputs.ts"
import { reportPath } from "./reportPath.ts"

const env = programEnv(process.env)
for (const secret of [env["DATAFOLD_API_KEY"], env["DATAFOLD_APIKEY"]]) {
  if (secret !== undefined && secret.trim() !== "") process.stdout.write(maskCommand(secret))
}

const line = actionCommandLine(process.env)
if ("problem" in line) {
  process.stderr.write(errorAnnotation(line.problem, "Datafold action input"))
  const summary = env["GITHUB_STEP_SUMMARY"]
  try {
    if (summary !== undefined && summary.trim() !== "") {
      appendFileSync(
        summary,
        `### ❌ Datafold action input refused\n\nExit code ${ExitCode.Usage}; nothing was sent.\n\n${
          block(line.problem)
        }\n\n`,
        "utf8"
      )
    }
  } catch {
    // The annotation above already says it; a summary that cannot be written changes nothing.
  }
  process.exit(ExitCode.Usage)
}

const cwd = process.cwd()
let stdout = ""
const code = await main(line.args, {
  env,
  cwd,
  io: {
    stdout: (text) => {
      stdout += text
      process.stdout.write(text)
    },
    stderr: (text) => void process.stderr.write(text)
  }
})

const result = resultJson(stdout)
const report = result === undefined ? undefined : reportOf(result)
let path = ""
if (report !== undefined) {
  try {
    path = reportPath(env, cwd, line.files, report)
  } catch (error) {
    process.stderr.write(
      `datafold-ci: warning: the report's JSON file could not be written under RUNNER_TEMP (${
        error instanceof Error && "code" in error ? String(error.code) : String(error)
      }); the report-path output is empty\n`
    )
  }
}
const outputs = result === undefined ? undefined : outputsOf(result, path)
if (outputs !== undefined && !writeOutputs(env, outputs)) {
  process.stderr.write("datafold-ci: warning: GITHUB_OUTPUT is not set; the step's outputs were not set\n")
}
// exitCode rather than exit(): pending stdout and stderr writes are flushed first.
process.exitCode = code
