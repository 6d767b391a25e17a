/**
 * The GitHub Actions step summary: Markdown appended to `$GITHUB_STEP_SUMMARY`, and the
 * summary of a failure, which every command shares.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { appendFile } from "node:fs/promises"
import { formatElapsed } from "../../core/elapsed.ts"
import type { Env } from "../facts/CiEnvironment.ts"
import type { CliFailure } from "./CliFailure.ts"
import type { ExitCode } from "./ExitCode.ts"
import { block, code, rows } from "./markdown.ts"

/**
 * The step summary of a failure: what kind, which exit code, and the message; for a wait
 * that ended badly, the run's id, status and the time waited as well.
 */
export const failureSummary = (error: CliFailure, exitCode: ExitCode, command?: string): string => {
  const run = "run" in error ? error.run : undefined
  const waited = "elapsedMillis" in error
    ? error.elapsedMillis
    : "waitedMillis" in error
    ? error.waitedMillis
    : undefined
  return [
    `### ❌ ${command === undefined ? "datafold-ci" : `Datafold ${command}`} failed`,
    "",
    `${code(error._tag)}, exit code ${exitCode}`,
    "",
    ...(run === undefined ? [] : [
      rows([
        ["CI run id", code(String(run.id))],
        ["Status", code(run.status)],
        ...(waited === undefined ? [] : [["Waited", formatElapsed(waited)] as const])
      ]),
      ""
    ]),
    block(error.message),
    ""
  ].join("\n") + "\n"
}

/**
 * Appends Markdown to `$GITHUB_STEP_SUMMARY` when it is set. A summary that cannot be
 * written is logged, not fatal: the trigger itself already happened (or failed).
 */
export const appendStepSummary = (env: Env, markdown: string): Effect.Effect<void> => {
  const path = env["GITHUB_STEP_SUMMARY"]
  if (path === undefined || path.trim() === "") return Effect.void
  return Effect.tryPromise(() => appendFile(path, markdown, "utf8")).pipe(
    Effect.catchAll((error) =>
      Effect.logWarning(`Could not append to GITHUB_STEP_SUMMARY (${path}): ${String(error.cause)}`)
    )
  )
}
