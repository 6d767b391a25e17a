/**
 * The models `diff dbt` did not diff, as the report's last part: lines for the terminal,
 * a list for Markdown (the step summary and `--markdown FILE`), objects for `--json`.
 *
 * @module
 */
import { describeSkip, type SkippedModel } from "../../../core/dbtDiff/plan.ts"
import { code } from "../../shell/markdown.ts"
import { columnTable, plural } from "../../shell/text.ts"

/** The lines for stdout; none when every model was diffed. */
export const skippedLines = (skipped: ReadonlyArray<SkippedModel>): ReadonlyArray<string> =>
  skipped.length === 0 ? [] : [
    `Not diffed (${plural(skipped.length, "model")}):`,
    columnTable(skipped.map((model) => [`  ${model.name}`, describeSkip(model.reason)])).trimEnd()
  ]

/** The Markdown list, with a blank line before it; empty when every model was diffed. */
export const skippedMarkdown = (skipped: ReadonlyArray<SkippedModel>): string =>
  skipped.length === 0 ? "" : [
    "",
    `**Not diffed (${plural(skipped.length, "model")}):**`,
    "",
    ...skipped.map((model) => `- ${code(model.name)}: ${describeSkip(model.reason)}`),
    ""
  ].join("\n") + "\n"

/** The models as `--json` lists them. */
export const skippedJson = (skipped: ReadonlyArray<SkippedModel>) =>
  skipped.map((model) => ({
    unique_id: model.uniqueId,
    name: model.name,
    reason: model.reason._tag,
    why: describeSkip(model.reason)
  }))
