/**
 * What the GitHub Action tells the runner besides its log: the key to mask, and the step
 * outputs appended to `$GITHUB_OUTPUT`, read from the CLI's one `--json` line (the
 * program runs in this process, so its JSON is the report's counts as the CLI computed
 * them: nothing is parsed twice or written by the CLI for the action's sake).
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

/** Every output action.yml declares, in its order. */
export const actionOutputs = [
  "ci-run-id",
  "run-id",
  "run-status",
  "differing-tables",
  "tripped-gates",
  "report-path",
  "artifacts-present"
] as const

/**
 * The step outputs, each empty when there is none:
 *
 * - `ci-run-id`: the CI run a trigger started, the one waited for or reported, or (`runs`)
 *   the newest one listed;
 * - `run-id`: the data-diff run's id when Datafold gave one;
 * - `run-status`: the run's status when the action waited for it (or `runs` listed it);
 * - `differing-tables`: how many tables of the report came out different;
 * - `tripped-gates`: the `fail-on` gates that tripped, comma-separated;
 * - `report-path`: the report's file (see `reportPath.ts`);
 * - `artifacts-present`: `check-post-upload-dbt-artifacts`' answer, `true` or `false`.
 */
export type ActionOutputs = { readonly [K in (typeof actionOutputs)[number]]: string }

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

type Json = Record<string, unknown>

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null

/** The CLI's `--json` object: its first line that starts with `{`; undefined when none, not JSON, or a dry run. */
export const resultJson = (stdout: string): Json | undefined => {
  const line = stdout.split("\n").find((text) => text.startsWith("{"))
  if (line === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(line)
  } catch {
    return undefined
  }
  return isRecord(parsed) && "ok" in parsed && parsed["dry_run"] !== true ? parsed : undefined
}

/**
 * The run's report in the result: a waiting command's `report` field, or (`results`,
 * `diff dbt`) the result itself without its `ok`; undefined when there is none.
 */
export const reportOf = (result: Json): Json | undefined => {
  if (result["ok"] !== true) return undefined
  if (isRecord(result["report"])) return result["report"]
  if (!isRecord(result["counts"])) return undefined
  const { ok: _ok, ...report } = result
  return report
}

const text = (value: unknown): string => typeof value === "number" || typeof value === "string" ? String(value) : ""

/** The newest run of a listing (the highest id: Datafold numbers CI runs as they are made). */
const newestRun = (runs: unknown): Json | undefined =>
  Array.isArray(runs)
    ? runs.filter(isRecord).reduce<Json | undefined>(
      (newest, run) => newest === undefined || Number(run["id"]) > Number(newest["id"]) ? run : newest,
      undefined
    )
    : undefined

/**
 * The outputs of a result. A failure sets none but the run's, when the wait saw one (a
 * run that failed or was cancelled); undefined when it did not.
 */
export const outputsOf = (result: Json, reportPath: string): ActionOutputs | undefined => {
  const failure = result["ok"] === true ? undefined : result["error"]
  const run = failure === undefined
    ? (isRecord(result["run"]) ? result["run"] : newestRun(result["runs"]))
    : isRecord(failure) && isRecord(failure["run"])
    ? failure["run"]
    : undefined
  if (failure !== undefined && run === undefined) return undefined
  const report = reportOf(result)
  const counts = report?.["counts"]
  const tripped = Array.isArray(report?.["tripped"]) ? report["tripped"] : []
  const gates = [...new Set(tripped.filter(isRecord).map((trip) => text(trip["gate"])))]
  const present = result["artifacts_present"]
  return {
    "ci-run-id": text(result["ci_run_id"] ?? run?.["id"] ?? report?.["ci_run_id"]),
    "run-id": text(result["run_id"]),
    "run-status": text(run?.["status"]),
    "differing-tables": isRecord(counts) ? text(counts["different"]) : "",
    "tripped-gates": gates.join(","),
    "report-path": report === undefined ? "" : reportPath,
    "artifacts-present": typeof present === "boolean" ? String(present) : ""
  }
}
