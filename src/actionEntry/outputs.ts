/**
 * What the GitHub Action tells the runner besides its log: the key to mask, and the step
 * outputs appended to `$GITHUB_OUTPUT`.
 *
 * @module
 */
import { randomUUID } from "node:crypto"
import { appendFileSync } from "node:fs"
import type { Env } from "../cli/facts/CiEnvironment.ts"
import { escapeCommandData } from "../cli/shell/workflowCommands.ts"

/**
 * The `::add-mask::` workflow command for a secret. The runner swallows this line and
 * from then on shows `***` wherever the value appears in the log.
 */
export const maskCommand = (secret: string): string => `::add-mask::${escapeCommandData(secret)}\n`

/**
 * The step outputs: the CI run's id (the one a trigger started, or the one waited for),
 * the data-diff run's id when Datafold gave one, and the run's status when the action
 * waited for it; each empty when there is none.
 */
export interface ActionOutputs {
  readonly "ci-run-id": string
  readonly "run-id": string
  readonly "run-status": string
}

/**
 * Outputs in `$GITHUB_OUTPUT`'s multi-line form (`name<<delimiter`, value, delimiter) with
 * a delimiter that cannot occur in the value, so no value can forge another output.
 */
export const outputFileText = (outputs: ActionOutputs, delimiter = `ghadelimiter_${randomUUID()}`): string =>
  Object.entries(outputs).map(([name, value]) => `${name}<<${delimiter}\n${value}\n${delimiter}\n`).join("")

/** Appends the outputs to the file `$GITHUB_OUTPUT` names; false when it is not set. */
export const writeOutputs = (env: Env, outputs: ActionOutputs): boolean => {
  const path = env["GITHUB_OUTPUT"]
  if (path === undefined || path.trim() === "") return false
  appendFileSync(path, outputFileText(outputs), "utf8")
  return true
}

/**
 * The outputs from the CLI's `--json` line. A failure sets none but the run's, when the
 * wait saw one (a run that failed or was cancelled); a dry run sets none.
 */
export const outputsFromJson = (stdout: string): ActionOutputs | undefined => {
  const line = stdout.split("\n").find((text) => text.startsWith("{"))
  if (line === undefined) return undefined
  const parsed: unknown = JSON.parse(line)
  if (typeof parsed !== "object" || parsed === null || !("ok" in parsed) || "dry_run" in parsed) return undefined
  const record = parsed as Record<string, unknown>
  const failure = record["ok"] === true ? undefined : record["error"] as Record<string, unknown> | undefined
  const run = (failure === undefined ? record["run"] : failure["run"]) as Record<string, unknown> | null | undefined
  if (failure !== undefined && typeof run !== "object") return undefined
  const text = (value: unknown): string => typeof value === "number" || typeof value === "string" ? String(value) : ""
  return {
    "ci-run-id": text(record["ci_run_id"] ?? run?.["id"]),
    "run-id": text(record["run_id"]),
    "run-status": text(run?.["status"])
  }
}
