/**
 * How `datafold-ci` shows its results: a short human summary, or (`--json`) exactly one
 * JSON object for stdout. Results go to stdout; messages about failures go to stderr.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { CiRun } from "../CiRun.ts"
import type { PreparedSubmit, PreparedTrigger } from "../DatafoldClient.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import { formatElapsed } from "../core/elapsed.ts"
import { ciSystemLabels, type CiSystemName } from "./CiEnvironment.ts"
import type { FollowedRun } from "./followRun.ts"
import { type CliFailure, failureToJson } from "./CliFailure.ts"
import type { RunsOutcome } from "./runs.ts"
import type { SubmitOutcome } from "./submit.ts"
import type { TriggerOutcome, TriggerReport } from "./trigger.ts"

// Encoders are built on first use, not at load: building one costs start-up time, and
// each command needs at most one of them.
let jobEncoder: ((job: SubmitCiJob) => unknown) | undefined
let runEncoder: ((run: CiRun) => unknown) | undefined
const encodeJob = (job: SubmitCiJob): Record<string, unknown> =>
  (jobEncoder ??= Schema.encodeSync(SubmitCiJob))(job) as Record<string, unknown>
const encodeRun = (run: CiRun): unknown => (runEncoder ??= Schema.encodeSync(CiRun))(run)

/** What `--wait` saw: the run, done, after how long. */
const waitedLines = (waited: FollowedRun | undefined): ReadonlyArray<string> =>
  waited === undefined
    ? []
    : [`Datafold CI run ${waited.run.id} is ${waited.run.status} (waited ${formatElapsed(waited.elapsedMillis)}).`]

/** `--wait`'s run in the `--json` object. */
const waitedJson = (waited: FollowedRun | undefined): Record<string, unknown> =>
  waited === undefined ? {} : { run: encodeRun(waited.run), wait_elapsed_ms: waited.elapsedMillis }

/** A SHA shortened the way git and GitHub show it. */
export const abbreviateSha = (sha: string): string => sha.slice(0, 7)

/** The CI system's display name, or a note that none was recognised. */
export const ciSystemLabel = (system: CiSystemName | undefined): string =>
  system === undefined ? "none detected" : ciSystemLabels[system] ?? system

/** Each value sent, by its wire name, with where it came from: what `--dry-run` explains. */
export const valueSources = (
  report: TriggerReport
): ReadonlyArray<readonly [name: string, value: string, source: string]> => [
  ["ci_config_id", String(report.ciConfigId.value), report.ciConfigId.source],
  ["pr_number", String(report.details.pr_number), report.facts.prNumber.source],
  ["pr_branch", report.details.pr_branch, report.facts.prBranch.source],
  ["base_branch", report.details.base_branch, report.facts.baseBranch.source],
  ["pr_sha", report.details.pr_sha, report.facts.prSha.source],
  ["base_sha", report.details.base_sha, report.facts.baseSha.source],
  ["host", report.host.value, report.host.source]
]

/**
 * Which id is which: Datafold's CI run (`ci_run_id`, the one `runs` lists) and the
 * data-diff run it started (`run_id`).
 */
export const describeJob = (job: SubmitCiJob): string => {
  const { ci_run_id, run_id } = job
  if (ci_run_id === null && run_id === null) return "a Datafold CI run (Datafold returned no run id)"
  if (ci_run_id === null) return `a Datafold CI run (diff run ${run_id})`
  return run_id === null ? `Datafold CI run ${ci_run_id}` : `Datafold CI run ${ci_run_id} (diff run ${run_id})`
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`

const table = (rows: ReadonlyArray<readonly [string, string, string?]>): string => {
  const width = Math.max(...rows.map(([label]) => label.length))
  const valueWidth = Math.max(...rows.map(([, value, source]) => (source === undefined ? 0 : value.length)))
  return rows
    .map(([label, value, source]) =>
      `  ${label.padEnd(width)}  ${source === undefined ? value : `${value.padEnd(valueWidth)}  ${source}`}`.trimEnd()
    )
    .join("\n")
}

/** The human summary of a run, for stdout. */
export const renderText = (outcome: TriggerOutcome): string => {
  const { report } = outcome
  const { details } = report
  const pr = `#${details.pr_number} ${details.pr_branch} → ${details.base_branch}`
  if (outcome._tag === "Triggered") {
    const attached = outcome.submitted === undefined
      ? []
      : [`Attached ${plural(outcome.submitted.diffs, "diff")} to ${describeJob(outcome.submitted.job)}.`]
    return [
      `Triggered ${describeJob(outcome.job)}.`,
      ...attached,
      ...waitedLines(outcome.waited),
      table([
        ["CI config", String(report.ciConfigId.value)],
        ["PR", pr],
        ["PR head", abbreviateSha(details.pr_sha)],
        ["base", abbreviateSha(details.base_sha)],
        ["CI system", ciSystemLabel(report.system)]
      ])
    ].join("\n") + "\n"
  }
  const { request } = outcome
  const upload = outcome.submit === undefined
    ? []
    : ["", "Then, once the run is waiting, this upload of the diffs:", "", ...httpLines(outcome.submit)]
  return [
    "Dry run: nothing was sent. This is the request a real run would send:",
    "",
    ...httpLines(request),
    ...upload,
    "",
    "Where each value came from:",
    table(valueSources(report)),
    "",
    `CI system: ${ciSystemLabel(report.system)}`
  ].join("\n") + "\n"
}

/** A request as text: request line, headers, blank line, body. */
const httpLines = (request: PreparedTrigger | PreparedSubmit): ReadonlyArray<string> => [
  `${request.method} ${request.url}`,
  ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
  "",
  request.body
]

/** A request as JSON data, its body parsed. */
const requestJson = (request: PreparedTrigger | PreparedSubmit) => ({
  method: request.method,
  url: request.url,
  headers: request.headers,
  body: JSON.parse(request.body) as unknown
})

/** What a dry run without `DATAFOLD_API_KEY` says on stderr. */
export const keyMissingWarning =
  "datafold-ci: warning: DATAFOLD_API_KEY is not set. Fine for --dry-run, which sends nothing; a real run needs it.\n"

/** The `--json` object of a run. */
export const toJson = (outcome: TriggerOutcome): Record<string, unknown> => {
  const { report } = outcome
  const common = {
    ci_config_id: report.ciConfigId.value,
    details: report.details,
    ci_system: report.system ?? null
  }
  if (outcome._tag === "Triggered") {
    const submitted = outcome.submitted === undefined
      ? {}
      : { submitted: { ...encodeJob(outcome.submitted.job), diffs: outcome.submitted.diffs } }
    return { ok: true, ...encodeJob(outcome.job), ...common, ...submitted, ...waitedJson(outcome.waited) }
  }
  return {
    ok: true,
    dry_run: true,
    request: requestJson(outcome.request),
    ...(outcome.submit === undefined ? {} : { upload: requestJson(outcome.submit) }),
    api_key_set: !outcome.keyMissing,
    sources: Object.fromEntries(valueSources(report).map(([name, , source]) => [name, source])),
    ...common
  }
}

/** The human summary of `submit`. */
export const renderSubmitText = (outcome: SubmitOutcome): string => {
  const { report } = outcome
  const count = plural(report.request.diffs.length, "diff")
  const facts = table([
    ["CI config", String(report.ciConfigId.value)],
    ["PR", `#${report.prNumber.value}`, report.prNumber.source],
    ["diffs from", report.source],
    ["CI system", ciSystemLabel(report.system)]
  ])
  if (outcome._tag === "Submitted") {
    return [`Attached ${count} to ${describeJob(outcome.job)}.`, ...waitedLines(outcome.waited), facts].join("\n") +
      "\n"
  }
  return [
    `Dry run: nothing was sent. This is the upload of ${count} a real run would send:`,
    "",
    ...httpLines(report.request),
    "",
    facts
  ].join("\n") + "\n"
}

/** The `--json` object of `submit`. */
export const submitToJson = (outcome: SubmitOutcome): Record<string, unknown> => {
  const { report } = outcome
  const common = {
    ci_config_id: report.ciConfigId.value,
    pr_number: report.prNumber.value,
    diffs: report.request.diffs.length,
    ci_system: report.system ?? null
  }
  return outcome._tag === "Submitted"
    ? { ok: true, ...encodeJob(outcome.job), ...common, ...waitedJson(outcome.waited) }
    : { ok: true, dry_run: true, request: requestJson(report.request), api_key_set: !outcome.keyMissing, ...common }
}

/** The rows of the runs table: id, PR, branches, short SHAs, status, source; a header first. */
export const runRows = (runs: ReadonlyArray<CiRun>): ReadonlyArray<ReadonlyArray<string>> => [
  ["ID", "PR", "BRANCHES", "PR SHA", "BASE SHA", "STATUS", "SOURCE"],
  ...runs.map((run) => [
    String(run.id),
    `#${run.pr_num}`,
    `${run.pr_branch} → ${run.base_branch}`,
    abbreviateSha(run.pr_sha),
    abbreviateSha(run.base_sha),
    run.status,
    run.source
  ])
]

/** The human table of `runs`. */
export const renderRunsText = (outcome: RunsOutcome): string => {
  if (outcome.runs.length === 0) return `No CI runs found for CI config ${outcome.ciConfigId}.\n`
  const rows = runRows(outcome.runs)
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)))
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd())
    .join("\n") + "\n"
}

/** The `--json` object of `runs`. */
export const runsToJson = (outcome: RunsOutcome): Record<string, unknown> => ({
  ok: true,
  ci_config_id: outcome.ciConfigId,
  runs: outcome.runs.map((run) => encodeRun(run))
})

/** The `--json` object of a failure: its tag, fields and message. */
export const failureJson = (error: CliFailure): Record<string, unknown> => ({ ok: false, error: failureToJson(error) })

/** The `--json` object of a bug in datafold-ci itself (exit 70). */
export const internalErrorJson = (message: string): Record<string, unknown> => ({
  ok: false,
  error: { _tag: "InternalError", message }
})

/** One JSON object as one line. */
export const jsonLine = (value: unknown): string => `${JSON.stringify(value)}\n`

/** A failure for stderr, prefixed with the program name so it stands out in CI logs. */
export const renderFailureText = (error: { readonly message: string }): string => `datafold-ci: ${error.message}\n`
