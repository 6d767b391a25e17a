/**
 * A run's report as JUnit XML (`--junit FILE`): one test case per table, so GitLab merge
 * requests, CircleCI, Jenkins and Azure Pipelines show the diffs as tests. A table that
 * trips a gate is a failure, a diff that failed is an error, a table still running or
 * cancelled is skipped; the rest pass.
 *
 * @module
 */
import type { GateTrip } from "../../../core/diffs/gates.ts"
import type { RunReport, TableReport } from "../../../core/diffs/report.ts"
import { columnChanges, rowChanges } from "./reportText.ts"

/** Text safe in XML content and attributes; characters XML 1.0 cannot hold are dropped. */
export const escapeXml = (text: string): string =>
  text
    // deno-lint-ignore no-control-regex
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;")

const details = (table: TableReport): string =>
  `rows ${rowChanges(table)}; columns ${columnChanges(table, 10)}; ${table.link}`

const testCase = (table: TableReport, trips: ReadonlyArray<GateTrip>): string => {
  const name = escapeXml(table.table2)
  const open = `    <testcase classname="datafold" name="${name}" file="${escapeXml(table.link)}">`
  const own = trips.filter((trip) => trip.diffId === table.diffId)
  const body = table.verdict === "failed"
    ? `      <error type="${escapeXml(table.error?.error_type ?? "failed")}" message="${
      escapeXml(table.error?.error_value ?? "the diff failed")
    }">${escapeXml(details(table))}</error>`
    : own.length > 0
    ? `      <failure type="${escapeXml(own.map((trip) => trip.gate).join(","))}" message="${
      escapeXml(own.map((trip) => trip.why).join("; "))
    }">${escapeXml(details(table))}</failure>`
    : table.verdict === "running" || table.verdict === "cancelled"
    ? `      <skipped message="${table.verdict}"/>`
    : `      <system-out>${escapeXml(`${table.verdict}: ${details(table)}`)}</system-out>`
  return [open, body, "    </testcase>"].join("\n")
}

/** The report as a JUnit XML document. */
export const reportJunit = (report: RunReport, trips: ReadonlyArray<GateTrip> = []): string => {
  const failures =
    report.tables.filter((table) => table.verdict !== "failed" && trips.some((trip) => trip.diffId === table.diffId))
      .length
  const skipped = report.tables.filter((table) => table.verdict === "running" || table.verdict === "cancelled").length
  const suite = `Datafold ${report.subject ?? `CI run ${report.ciRunId}`}`
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="datafold" tests="${report.tables.length}" failures="${failures}" errors="${report.counts.failed}">`,
    `  <testsuite name="${
      escapeXml(suite)
    }" tests="${report.tables.length}" failures="${failures}" errors="${report.counts.failed}" skipped="${skipped}">`,
    ...report.tables.map((table) => testCase(table, trips)),
    "  </testsuite>",
    "</testsuites>",
    ""
  ].join("\n")
}
