/**
 * GitHub Actions extras: a Markdown summary appended to `$GITHUB_STEP_SUMMARY`, and an
 * `::error::` workflow command so a failure shows as an annotation on the run.
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { formatElapsed } from "../core/elapsed.ts"
import { appendFile } from "node:fs/promises"
import type { Env } from "./CiEnvironment.ts"
import type { CliFailure } from "./CliFailure.ts"
import type { ExitCode } from "./ExitCode.ts"
import type { FollowedRun } from "./followRun.ts"
import { abbreviateSha, ciSystemLabel, describeJob, runRows, valueSources } from "./Output.ts"
import type { RunsOutcome } from "./runs.ts"
import type { SubmitOutcome } from "./submit.ts"
import type { TriggerOutcome } from "./trigger.ts"

/** Whether this process runs as a GitHub Actions step. */
export const isGithubActions = (env: Env): boolean => env["GITHUB_ACTIONS"] === "true"

/** Escapes a workflow command's message, as GitHub's toolkit does: `%`, CR and LF. */
export const escapeCommandData = (text: string): string =>
  text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A")

/** Escapes a workflow command's property value: the message rules plus `:` and `,`. */
export const escapeCommandProperty = (text: string): string =>
  escapeCommandData(text).replaceAll(":", "%3A").replaceAll(",", "%2C")

/**
 * The `::error::` line for a failure. It goes to stderr: the runner reads workflow
 * commands on stderr as well as stdout, and stdout stays one JSON object under `--json`.
 */
export const errorAnnotation = (message: string, title = "Datafold trigger failed"): string =>
  `::error title=${escapeCommandProperty(title)}::${escapeCommandData(message)}\n`

/** Inline code in a table cell: a fence longer than any backtick run inside, and pipes escaped. */
const code = (text: string): string => {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = "`".repeat(longest + 1)
  const padded = text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text
  return `${fence}${padded}${fence}`.replaceAll("|", "\\|")
}

/** A block of text shown verbatim, fenced so nothing in it is read as Markdown. */
const block = (text: string): string => {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = "`".repeat(longest + 1)
  return `${fence}text\n${text}\n${fence}`
}

const rows = (entries: ReadonlyArray<readonly [string, string]>): string =>
  ["| | |", "|---|---|", ...entries.map(([label, value]) => `| ${label} | ${value} |`)].join("\n")

/** The rows of a run `--wait` followed to its end: its id, status and the time waited. */
const waitedRows = (waited: FollowedRun | undefined): ReadonlyArray<readonly [string, string]> =>
  waited === undefined ? [] : [
    ["Run status", `${code(waited.run.status)} (CI run ${code(String(waited.run.id))})`],
    ["Waited", formatElapsed(waited.elapsedMillis)]
  ]

/** The step summary of a run (a dry run says nothing was sent). */
export const outcomeSummary = (outcome: TriggerOutcome): string => {
  const { details, system } = outcome.report
  if (outcome._tag === "DryRun") {
    return [
      "### Datafold trigger: dry run (nothing sent)",
      "",
      "| value | sent | from |",
      "|---|---|---|",
      ...valueSources(outcome.report).map(([name, value, source]) => `| ${name} | ${code(value)} | ${code(source)} |`),
      ""
    ].join("\n") + "\n"
  }
  const { ci_run_id, run_id } = outcome.job
  return [
    "### ✅ Datafold CI run triggered",
    "",
    rows([
      ["CI config", code(String(outcome.report.ciConfigId.value))],
      ["PR", `#${details.pr_number} ${code(details.pr_branch)} → ${code(details.base_branch)}`],
      ["PR head", code(abbreviateSha(details.pr_sha))],
      ["Base", code(abbreviateSha(details.base_sha))],
      ["CI run id", ci_run_id === null ? "not returned" : code(String(ci_run_id))],
      ["Run id", run_id === null ? "not returned" : code(String(run_id))],
      ["CI system", ciSystemLabel(system)],
      ...(outcome.submitted === undefined ? [] : [
        [
          "Diffs",
          `${outcome.submitted.diffs} attached to ${describeJob(outcome.submitted.job)}`
        ] as const
      ]),
      ...waitedRows(outcome.waited)
    ]),
    ""
  ].join("\n") + "\n"
}

/** The step summary of `submit`. */
export const submitSummary = (outcome: SubmitOutcome): string => {
  const { report } = outcome
  const title = outcome._tag === "DryRun"
    ? "### Datafold submit: dry run (nothing sent)"
    : `### ✅ Datafold diffs attached to ${describeJob(outcome.job)}`
  return [
    title,
    "",
    rows([
      ["CI config", code(String(report.ciConfigId.value))],
      ["PR", `#${report.prNumber.value}`],
      ["Diffs", String(report.request.diffs.length)],
      ...(outcome._tag === "Submitted" ? waitedRows(outcome.waited) : []),
      ...report.request.diffs.map((diff, index) => [`${index + 1}`, `${code(diff.prod)} vs ${code(diff.pr)}`] as const)
    ]),
    ""
  ].join("\n") + "\n"
}

/** The step summary of `runs`: the same table as the terminal's. */
export const runsSummary = (outcome: RunsOutcome): string => {
  const [header = [], ...body] = runRows(outcome.runs)
  return [
    `### Datafold CI runs of CI config ${outcome.ciConfigId}`,
    "",
    ...(body.length === 0 ? ["No runs found."] : [
      `| ${header.join(" | ")} |`,
      `|${header.map(() => "---").join("|")}|`,
      ...body.map((row) => `| ${row.map((cell, column) => (column === 0 ? cell : code(cell))).join(" | ")} |`)
    ]),
    ""
  ].join("\n") + "\n"
}

/**
 * The step summary of a failure: what kind, which exit code, and the message; for a wait
 * that ended badly, the run's id, status and the time waited as well.
 */
export const failureSummary = (error: CliFailure, exitCode: ExitCode, command = "trigger"): string => {
  const run = "run" in error ? error.run : undefined
  const waited = "elapsedMillis" in error
    ? error.elapsedMillis
    : "waitedMillis" in error
    ? error.waitedMillis
    : undefined
  return [
    `### ❌ Datafold ${command} failed`,
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
