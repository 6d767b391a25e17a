/**
 * How `datafold-ci diff dbt` shows its outcome: the report as `datafold-ci results`
 * shows one (terminal, `--json`, step summary), with the models it did not diff and why;
 * a dry run's diffs as they would be created.
 *
 * @module
 */
import { DATA_DIFFS_PATH } from "../../../core/diffs/paths.ts"
import { diffsReportBody } from "../../shell/report/reportJson.ts"
import { reportMarkdown } from "../../shell/report/reportMarkdown.ts"
import { reportText } from "../../shell/report/reportText.ts"
import { columnTable, plural } from "../../shell/text.ts"
import { skippedJson, skippedLines, skippedMarkdown } from "./skippedModels.ts"
import type { DiffDbtOutcome } from "./diffDbt.ts"

/** The outcome for stdout. */
export const diffDbtText = (outcome: DiffDbtOutcome): string => {
  if (outcome._tag === "DryRun") {
    const { plan } = outcome
    const lines = [
      `Dry run: would create ${plural(plan.diffs.length, "data diff")} in data source ${outcome.dataSource.id} ` +
      `(${outcome.dataSource.source}), production <> PR build; nothing was sent.`,
      ...(plan.diffs.length === 0 ? [] : [
        columnTable(plan.diffs.map((model) => [
          `  ${model.name}`,
          `${model.prodPath.join(".")} <> ${model.devPath.join(".")}`,
          `key ${model.primaryKey.columns.join(", ")} (${model.primaryKey.source})`
        ])).trimEnd()
      ]),
      ...skippedLines(plan.skipped)
    ]
    return lines.join("\n") + "\n"
  }
  const skipped = skippedLines(outcome.plan.skipped)
  return reportText(outcome.report, outcome.trips) + (skipped.length === 0 ? "" : `${skipped.join("\n")}\n`)
}

/** The outcome as `--json`'s one object. */
export const diffDbtJson = (outcome: DiffDbtOutcome): Record<string, unknown> => {
  const base = {
    ok: true,
    dry_run: outcome._tag === "DryRun",
    data_source_id: outcome.dataSource.id,
    upper_cased: outcome.plan.upperCased,
    skipped: skippedJson(outcome.plan.skipped)
  }
  if (outcome._tag === "DryRun") {
    return {
      ...base,
      requests: outcome.requests.map((body, index) => ({
        model: outcome.plan.diffs[index]?.uniqueId,
        method: "POST",
        path: DATA_DIFFS_PATH,
        body
      }))
    }
  }
  const report = diffsReportBody(outcome.report, outcome.gates, outcome.trips)
  return {
    ...base,
    models: outcome.created.map((created) => ({
      unique_id: created.model.uniqueId,
      name: created.model.name,
      diff_id: created.diffId,
      link: created.link,
      prod_path: created.model.prodPath,
      dev_path: created.model.devPath,
      pk_columns: created.model.primaryKey.columns,
      pk_source: created.model.primaryKey.source
    })),
    ...report
  }
}

/** The outcome as Markdown for the step summary. */
export const diffDbtSummary = (outcome: DiffDbtOutcome): string =>
  outcome._tag === "DryRun"
    ? `### Datafold: dbt diff (dry run): ${plural(outcome.plan.diffs.length, "data diff")} would be created\n` +
      skippedMarkdown(outcome.plan.skipped)
    : reportMarkdown(outcome.report, outcome.trips) + skippedMarkdown(outcome.plan.skipped)
