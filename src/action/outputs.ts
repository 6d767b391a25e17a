/**
 * What the GitHub Action tells the runner besides its log: the key to mask, and the step
 * outputs appended to `$GITHUB_OUTPUT`.
 *
 * @module
 */
import { randomUUID } from "node:crypto"
import { appendFileSync } from "node:fs"
import type { Env } from "../cli/CiEnvironment.ts"
import { escapeCommandData } from "../cli/GithubActions.ts"

/**
 * The `::add-mask::` workflow command for a secret. The runner swallows this line and
 * from then on shows `***` wherever the value appears in the log.
 */
export const maskCommand = (secret: string): string => `::add-mask::${escapeCommandData(secret)}\n`

/** The step outputs: the ids of the run Datafold started (empty when it returned none). */
export interface ActionOutputs {
  readonly "ci-run-id": string
  readonly "run-id": string
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
 * The outputs from the CLI's `--json` line: present only when the run was triggered
 * (a failure or a dry run sets no output).
 */
export const outputsFromJson = (stdout: string): ActionOutputs | undefined => {
  const line = stdout.split("\n").find((text) => text.startsWith("{"))
  if (line === undefined) return undefined
  const parsed: unknown = JSON.parse(line)
  if (typeof parsed !== "object" || parsed === null || !("ok" in parsed) || parsed.ok !== true) return undefined
  const id = (key: string): string => {
    const value = (parsed as Record<string, unknown>)[key]
    return typeof value === "number" ? String(value) : ""
  }
  return { "ci-run-id": id("ci_run_id"), "run-id": id("run_id") }
}
