/**
 * How `datafold-ci runs` shows the runs it listed: a table on stdout, the `--json`
 * object, and the same table as the GitHub Actions step summary.
 *
 * @module
 */
import type { CiRun } from "../../../CiRun.ts"
import { code } from "../../shell/markdown.ts"
import { encodeRun } from "../../shell/runOutput.ts"
import { abbreviateSha, columnTable } from "../../shell/text.ts"
import type { RunsOutcome } from "./runs.ts"

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
export const runsText = (outcome: RunsOutcome): string =>
  outcome.runs.length === 0
    ? `No CI runs found for CI config ${outcome.ciConfigId}.\n`
    : columnTable(runRows(outcome.runs))

/** The `--json` object of `runs`. */
export const runsJson = (outcome: RunsOutcome): Record<string, unknown> => ({
  ok: true,
  ci_config_id: outcome.ciConfigId,
  runs: outcome.runs.map((run) => encodeRun(run))
})

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
