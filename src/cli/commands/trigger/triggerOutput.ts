/**
 * How `datafold-ci trigger` shows its outcome: the text on stdout, the `--json` object,
 * and the GitHub Actions step summary.
 *
 * @module
 */
import { describeJob, encodeJob, httpLines, requestJson } from "../../shell/jobOutput.ts"
import { code, rows } from "../../shell/markdown.ts"
import { reportedJson, reportedSummary, reportedText } from "../../shell/runReportOutput.ts"
import { waitedJson, waitedLines, waitedRows } from "../../shell/runOutput.ts"
import { abbreviateSha, ciSystemLabel, labelTable, plural } from "../../shell/text.ts"
import type { TriggerOutcome, TriggerReport } from "./trigger.ts"

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

/** The human summary of a run, for stdout. */
export const triggerText = (outcome: TriggerOutcome): string => {
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
      labelTable([
        ["CI config", String(report.ciConfigId.value)],
        ["PR", pr],
        ["PR head", abbreviateSha(details.pr_sha)],
        ["base", abbreviateSha(details.base_sha)],
        ["CI system", ciSystemLabel(report.system)]
      ])
    ].join("\n") + "\n" + reportedText(outcome.reported)
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
    labelTable(valueSources(report)),
    "",
    `CI system: ${ciSystemLabel(report.system)}`
  ].join("\n") + "\n"
}

/** The `--json` object of a run. */
export const triggerJson = (outcome: TriggerOutcome): Record<string, unknown> => {
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
    return {
      ok: true,
      ...encodeJob(outcome.job),
      ...common,
      ...submitted,
      ...waitedJson(outcome.waited),
      ...reportedJson(outcome.reported)
    }
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

/** The step summary of a run (a dry run says nothing was sent). */
export const triggerSummary = (outcome: TriggerOutcome): string => {
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
  return reportedSummary(
    [
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
    ].join("\n") + "\n",
    outcome.reported
  )
}
