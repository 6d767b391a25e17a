/**
 * How `datafold-ci submit` shows its outcome: the text on stdout, the `--json` object,
 * and the GitHub Actions step summary.
 *
 * @module
 */
import { describeJob, encodeJob, httpLines, requestJson } from "../../shell/jobOutput.ts"
import { code, rows } from "../../shell/markdown.ts"
import { waitedJson, waitedLines, waitedRows } from "../../shell/runOutput.ts"
import { reportedJson, reportedSummary, reportedText } from "../../shell/runReportOutput.ts"
import { ciSystemLabel, labelTable, plural } from "../../shell/text.ts"
import type { SubmitOutcome } from "./submit.ts"

/** The human summary of `submit`. */
export const submitText = (outcome: SubmitOutcome): string => {
  const { report } = outcome
  const count = plural(report.request.diffs.length, "diff")
  const facts = labelTable([
    ["CI config", String(report.ciConfigId.value)],
    ["PR", `#${report.prNumber.value}`, report.prNumber.source],
    ["diffs from", report.source],
    ["CI system", ciSystemLabel(report.system)]
  ])
  if (outcome._tag === "Submitted") {
    return [`Attached ${count} to ${describeJob(outcome.job)}.`, ...waitedLines(outcome.waited), facts].join("\n") +
      "\n" + reportedText(outcome.reported)
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
export const submitJson = (outcome: SubmitOutcome): Record<string, unknown> => {
  const { report } = outcome
  const common = {
    ci_config_id: report.ciConfigId.value,
    pr_number: report.prNumber.value,
    diffs: report.request.diffs.length,
    ci_system: report.system ?? null
  }
  return outcome._tag === "Submitted"
    ? {
      ok: true,
      ...encodeJob(outcome.job),
      ...common,
      ...waitedJson(outcome.waited),
      ...reportedJson(outcome.reported)
    }
    : { ok: true, dry_run: true, request: requestJson(report.request), api_key_set: !outcome.keyMissing, ...common }
}

/** The step summary of `submit`. */
export const submitSummary = (outcome: SubmitOutcome): string => {
  const { report } = outcome
  const title = outcome._tag === "DryRun"
    ? "### Datafold submit: dry run (nothing sent)"
    : `### ✅ Datafold diffs attached to ${describeJob(outcome.job)}`
  const own = [
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
  return reportedSummary(own, outcome._tag === "Submitted" ? outcome.reported : undefined)
}
