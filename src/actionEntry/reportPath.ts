/**
 * The `report-path` output: where a later step finds the run's report. The file the
 * `markdown` input named (the CLI wrote it), else the `junit` one, else a JSON file the
 * action writes under `$RUNNER_TEMP` (the runner's per-job folder, emptied after the
 * job): the report as `--json` gave it.
 *
 * @module
 */
import { randomUUID } from "node:crypto"
import { writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import type { Env } from "../cli/facts/CiEnvironment.ts"
import type { ActionCommandLine } from "./commandLine.ts"

/**
 * The report's path: the `markdown` or `junit` file resolved against `cwd`, else a JSON
 * file of `report` written under `$RUNNER_TEMP` (the system's temporary folder when it is
 * not set, as outside a runner).
 */
export const reportPath = (
  env: Env,
  cwd: string,
  files: ActionCommandLine["files"],
  report: Record<string, unknown>
): string => {
  const given = files.markdown ?? files.junit
  if (given !== undefined) return resolve(cwd, given)
  const folder = env["RUNNER_TEMP"]?.trim() || tmpdir()
  const path = join(resolve(cwd, folder), `datafold-report-${randomUUID()}.json`)
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`, "utf8")
  return path
}
