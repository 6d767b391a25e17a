/**
 * How `datafold-ci` shows its results: a short human summary, or (`--json`) exactly one
 * JSON object for stdout. Results go to stdout; messages about failures go to stderr.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import { ciSystemLabels, type CiSystemName } from "./CiEnvironment.ts"
import { type CliFailure, failureToJson } from "./CliFailure.ts"
import type { TriggerOutcome, TriggerReport } from "./trigger.ts"

const encodeJob = Schema.encodeSync(SubmitCiJob)

/** A SHA shortened the way git and GitHub show it. */
export const abbreviateSha = (sha: string): string => sha.slice(0, 7)

/** The CI system's display name, or a note that none was recognised. */
export const ciSystemLabel = (system: CiSystemName | undefined): string =>
  system === undefined ? "none detected" : ciSystemLabels[system]

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

const runIds = (outcome: Extract<TriggerOutcome, { _tag: "Triggered" }>): string => {
  const { ci_run_id, run_id } = outcome.job
  if (ci_run_id === null && run_id === null) return "Triggered a Datafold CI run (Datafold returned no run id)."
  const parts = [
    ...(ci_run_id === null ? [] : [`CI run ${ci_run_id}`]),
    ...(run_id === null ? [] : [`run ${run_id}`])
  ]
  return `Triggered Datafold ${parts.join(", ")}.`
}

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
    return [
      runIds(outcome),
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
  return [
    "Dry run: nothing was sent. This is the request a real run would send:",
    "",
    `${request.method} ${request.url}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    "",
    request.body,
    "",
    "Where each value came from:",
    table(valueSources(report)),
    "",
    `CI system: ${ciSystemLabel(report.system)}`
  ].join("\n") + "\n"
}

/** The `--json` object of a run. */
export const toJson = (outcome: TriggerOutcome): Record<string, unknown> => {
  const { report } = outcome
  const common = {
    ci_config_id: report.ciConfigId.value,
    details: report.details,
    ci_system: report.system ?? null
  }
  if (outcome._tag === "Triggered") return { ok: true, ...encodeJob(outcome.job), ...common }
  const { request } = outcome
  return {
    ok: true,
    dry_run: true,
    request: {
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: JSON.parse(request.body) as unknown
    },
    sources: Object.fromEntries(valueSources(report).map(([name, , source]) => [name, source])),
    ...common
  }
}

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
