/**
 * How `datafold-ci dbt` shows its results: a short summary for people, one JSON object
 * for `--json`, and Markdown for the GitHub Actions step summary.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { CiRun } from "../../../CiRun.ts"
import { formatElapsed } from "../../../core/elapsed.ts"
import { PrimaryKeyCheck } from "../../../PrimaryKeyCheck.ts"
import type { Command } from "../../shell/Command.ts"
import type { FollowedRun } from "../../shell/followRun.ts"
import { abbreviateSha, ciSystemLabel, formatBytes } from "../../shell/text.ts"
import { reportedExitCode, reportedJson, reportedSummary, reportedText } from "../../shell/runReportOutput.ts"
import { type DbtOutcome, hasPrimaryKey } from "./dbt.ts"
import { runStatusPhrase } from "../../shell/text.ts"

// Built on first use: each run shows at most one kind.
let runEncoder: ((run: CiRun) => unknown) | undefined
let keysEncoder: ((check: PrimaryKeyCheck) => unknown) | undefined
const encodeRun = (run: CiRun): unknown => (runEncoder ??= Schema.encodeSync(CiRun))(run)
const encodeCheck = (check: PrimaryKeyCheck): unknown => (keysEncoder ??= Schema.encodeSync(PrimaryKeyCheck))(check)

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`

/** The widest a table is on a terminal, however wide the terminal. */
const MAX_TABLE_WIDTH = 100

/** A cell cut to `width` characters, an ellipsis marking the cut. */
const cut = (text: string, width: number): string => text.length <= width ? text : `${text.slice(0, width - 1)}…`

/**
 * A table's rows as aligned text, the header first. With a `width` (a terminal's), the
 * widest columns are narrowed, their cells cut, until each line fits it and 100 columns.
 */
export const table = (rows: ReadonlyArray<ReadonlyArray<string>>, width?: number): string => {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)))
  if (width !== undefined) {
    const limit = Math.min(width, MAX_TABLE_WIDTH)
    const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * Math.max(0, widths.length - 1)
    while (total() > limit) {
      const widest = widths.indexOf(Math.max(...widths))
      if ((widths[widest] ?? 0) <= 6) break
      widths[widest] = (widths[widest] ?? 0) - 1
    }
  }
  return rows.map((row) =>
    row.map((cell, column) => cut(cell, widths[column] ?? 0).padEnd(widths[column] ?? 0)).join("  ").trimEnd()
  ).join("\n") + "\n"
}

/** The line under the primary-key table: how many models, how many with a key. */
export const primaryKeySummary = (checks: ReadonlyArray<PrimaryKeyCheck>): string =>
  `${plural(checks.length, "model")}, ${checks.filter(hasPrimaryKey).length} with a primary key\n`

const waitedLine = (waited: FollowedRun | "NoRun" | undefined): ReadonlyArray<string> =>
  waited === undefined
    ? []
    : waited === "NoRun"
    ? ["A production upload starts no CI run: there is nothing to wait for."]
    : [
      `Datafold CI run ${waited.run.id} ${runStatusPhrase(waited.run.status)} (waited ${
        formatElapsed(waited.elapsedMillis)
      }).`
    ]

/** The rows of the primary-key table: one per model, a header first. */
export const primaryKeyRows = (
  checks: ReadonlyArray<PrimaryKeyCheck>
): ReadonlyArray<ReadonlyArray<string>> => [
  ["MODEL", "TABLE", "DBT PKS", "SQL PKS", "WARNINGS"],
  ...checks.map((check) => [
    check.dbt_fqn.join("."),
    check.sql_table.join("."),
    check.dbt_pks.join(", ") || "-",
    check.sql_pks.join(", ") || "-",
    check.warnings.join("; ")
  ])
]

/** The human summary of a dbt command, for stdout. */
export const renderDbtText = (outcome: DbtOutcome): string => {
  switch (outcome._tag) {
    case "Uploaded": {
      const { report, upload } = outcome
      return [
        `Uploaded the ${upload.runType} dbt artifacts of commit ${abbreviateSha(upload.commitSha)} to CI config ` +
        `${upload.ciConfigId}: ${plural(upload.files, "file")}, ${formatBytes(upload.bytes)} ` +
        `(${formatBytes(upload.archiveBytes)} zipped) in ${formatElapsed(outcome.elapsedMillis)}.`,
        ...waitedLine(outcome.waited),
        `  commit     ${upload.commitSha}  ${report.commit.source}`,
        `  folder     ${report.targetFolder}`,
        `  CI system  ${ciSystemLabel(report.system)}`
      ].join("\n") + "\n" + reportedText(outcome.reported)
    }
    case "UploadDryRun": {
      const { prepared, report } = outcome
      return [
        `Dry run: nothing was sent. A real run would upload ${plural(prepared.files.length, "file")} ` +
        `(${formatBytes(prepared.bytes)}) from ${report.targetFolder}, zipped, to:`,
        "",
        `${prepared.method} ${prepared.url}`,
        ...Object.entries(prepared.headers).map(([name, value]) => `${name}: ${value}`),
        "",
        ...prepared.fields.map(([name, value]) => `${name}=${value}`),
        "artifacts=@artifacts.zip",
        "",
        `commit: ${report.commit.source}`,
        `CI system: ${ciSystemLabel(report.system)}`
      ].join("\n") + "\n"
    }
    case "ArtifactsPresent":
      return `Datafold ${outcome.status.ok ? "has" : "does not have"} the ${outcome.runType} dbt artifacts of commit ` +
        `${abbreviateSha(outcome.commit.value)} (branch ${outcome.branch.value}) in CI config ${outcome.ciConfigId}` +
        `${outcome.status.ok ? "" : ` (status ${JSON.stringify(outcome.status.status)}; --warn-only: exit 0)`}.\n`
    case "PrimaryKeys":
      return outcome.checks.length === 0
        ? `Datafold found no models in ${outcome.manifest}.\n`
        : table(primaryKeyRows(outcome.checks), outcome.width) + primaryKeySummary(outcome.checks)
  }
}

/** The `--json` object of a dbt command. */
export const dbtToJson = (outcome: DbtOutcome): Record<string, unknown> => {
  switch (outcome._tag) {
    case "Uploaded": {
      const { report, upload, waited } = outcome
      return {
        ok: true,
        ci_config_id: upload.ciConfigId,
        run_type: upload.runType,
        commit_sha: upload.commitSha,
        commit_sha_source: report.commit.source,
        run_id: upload.runId ?? null,
        target_folder: report.targetFolder,
        files: upload.files,
        bytes: upload.bytes,
        archive_bytes: upload.archiveBytes,
        skipped: upload.skipped,
        elapsed_ms: outcome.elapsedMillis,
        ci_system: report.system ?? null,
        ...(waited === undefined
          ? {}
          : waited === "NoRun"
          ? { run: null }
          : { run: encodeRun(waited.run), wait_elapsed_ms: waited.elapsedMillis }),
        ...reportedJson(outcome.reported)
      }
    }
    case "UploadDryRun": {
      const { prepared, report } = outcome
      return {
        ok: true,
        dry_run: true,
        request: { method: prepared.method, url: prepared.url, headers: prepared.headers },
        fields: Object.fromEntries(prepared.fields),
        files: prepared.files,
        bytes: prepared.bytes,
        skipped: prepared.skipped,
        commit_sha_source: report.commit.source,
        api_key_set: !outcome.keyMissing,
        ci_system: report.system ?? null
      }
    }
    case "ArtifactsPresent":
      return {
        ok: true,
        ci_config_id: outcome.ciConfigId,
        run_type: outcome.runType,
        branch: outcome.branch.value,
        commit_sha: outcome.commit.value,
        status: outcome.status.status,
        artifacts_present: outcome.status.ok
      }
    case "PrimaryKeys":
      return {
        ok: true,
        ci_config_id: outcome.ciConfigId,
        models: outcome.checks.map(encodeCheck),
        models_with_primary_key: outcome.checks.filter(hasPrimaryKey).length
      }
  }
}

const cell = (text: string): string => `\`${text.replaceAll("`", "'").replaceAll("|", "\\|")}\``

/** The step summary of a dbt command. */
export const dbtSummary = (outcome: DbtOutcome): string => {
  const rows = (title: string, entries: ReadonlyArray<readonly [string, string]>) =>
    [title, "", "| | |", "|---|---|", ...entries.map(([label, value]) => `| ${label} | ${value} |`), ""].join("\n") +
    "\n"
  switch (outcome._tag) {
    case "Uploaded": {
      const { upload, waited } = outcome
      const own = rows(
        waited !== undefined && waited !== "NoRun"
          ? `### ✅ Datafold CI run ${waited.run.id} ${waited.run.status}`
          : "### ✅ dbt artifacts uploaded to Datafold",
        [
          ["CI config", cell(String(upload.ciConfigId))],
          ["Run type", cell(upload.runType)],
          ["Commit", cell(abbreviateSha(upload.commitSha))],
          ["Files", `${upload.files} (${formatBytes(upload.bytes)}, ${formatBytes(upload.archiveBytes)} zipped)`],
          ...(waited === undefined || waited === "NoRun" ? [] : [
            ["CI run id", cell(String(waited.run.id))] as const,
            ["Status", cell(waited.run.status)] as const,
            ["Elapsed", formatElapsed(outcome.elapsedMillis + waited.elapsedMillis)] as const
          ])
        ]
      )
      return reportedSummary(own, outcome.reported)
    }
    case "UploadDryRun":
      return rows("### Datafold dbt upload: dry run (nothing sent)", [
        ["Files", `${outcome.prepared.files.length} (${formatBytes(outcome.prepared.bytes)})`],
        ["Commit", `${cell(outcome.prepared.commitSha)} from ${outcome.report.commit.source}`]
      ])
    case "ArtifactsPresent":
      return rows(
        outcome.status.ok
          ? "### ✅ Datafold has the dbt artifacts"
          : "### ⚠️ Datafold does not have the dbt artifacts (--warn-only)",
        [
          ["CI config", cell(String(outcome.ciConfigId))],
          ["Commit", cell(abbreviateSha(outcome.commit.value))],
          ["Branch", cell(outcome.branch.value)]
        ]
      )
    case "PrimaryKeys": {
      const [header = [], ...body] = primaryKeyRows(outcome.checks)
      return [
        `### Datafold primary keys of ${plural(outcome.checks.length, "model")}`,
        "",
        `| ${header.join(" | ")} |`,
        `|${header.map(() => "---").join("|")}|`,
        ...body.map((row) => `| ${row.map((text) => (text === "" ? "" : cell(text))).join(" | ")} |`),
        "",
        primaryKeySummary(outcome.checks)
      ].join("\n") + "\n"
    }
  }
}

/** `datafold-ci dbt …` as `main` loads it. */
export const dbtRenderings: Pick<Command<DbtOutcome>, "text" | "json" | "summary" | "exitCode"> = {
  text: renderDbtText,
  json: dbtToJson,
  summary: dbtSummary,
  exitCode: (outcome) => reportedExitCode(outcome._tag === "Uploaded" ? outcome.reported : undefined)
}
