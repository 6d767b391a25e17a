/**
 * The report's renderings on their own: the step summary stays under GitHub's 1 MiB by
 * cutting rows to "and N more tables", Markdown and XML special characters in table
 * names are escaped, and `--fail-on`'s list is read strictly.
 */
import { describe, expect, it } from "@effect/vitest"
import { parseGates } from "../../src/core/diffs/gates.ts"
import type { RunReport, TableReport } from "../../src/core/diffs/report.ts"
import { reportJunit } from "../../src/cli/shell/report/reportJunit.ts"
import { reportMarkdown, STEP_SUMMARY_BUDGET_BYTES } from "../../src/cli/shell/report/reportMarkdown.ts"

const table = (diffId: number, name: string): TableReport => ({
  diffId,
  link: `https://app.datafold.com/datadiffs/${diffId}/overview`,
  table1: `ANALYTICS.PROD.${name}`,
  table2: `ANALYTICS.PR_45.${name}`,
  verdict: "different",
  result: "different",
  kind: "in_db",
  rows: { added: 5, removed: 2, updated: 17, unchanged: 981, total: [1000, 1003] },
  columns: [{ name: "amount", matchPercent: 98.5, valuesDifferent: 15 }],
  columnsAdded: [],
  columnsRemoved: [],
  typeChanges: [],
  schemaCompared: true,
  primaryKeys: { nulls: [0, 0], duplicates: [0, 0] },
  error: null
})

const reportOf = (tables: ReadonlyArray<TableReport>): RunReport => ({
  ciConfigId: 7,
  ciRunId: 1,
  tables,
  counts: { identical: 0, different: tables.length, failed: 0, cancelled: 0, running: 0 },
  foreignDiffsSkipped: 0
})

const bytes = (text: string) => new TextEncoder().encode(text).length

describe("the step summary's cut", () => {
  it("a report of 20 000 tables with long names stays under GitHub's 1 MiB, saying how many were left out", () => {
    const tables = Array.from({ length: 20_000 }, (_, i) => table(i + 1, `ORDERS_${"X".repeat(60)}_${i}`))
    const markdown = reportMarkdown(reportOf(tables))
    expect(bytes(markdown)).toBeLessThanOrEqual(STEP_SUMMARY_BUDGET_BYTES)
    expect(STEP_SUMMARY_BUDGET_BYTES).toBeLessThan(1024 * 1024)
    const shown = markdown.split("\n").filter((line) => line.startsWith("| `ANALYTICS")).length
    expect(shown).toBeGreaterThan(100)
    expect(markdown).toContain(`_… and ${20_000 - shown} more tables._`)
  })

  it("a small report is whole, without a cut line", () => {
    const markdown = reportMarkdown(reportOf([table(1, "ORDERS"), table(2, "USERS")]))
    expect(markdown.split("\n").filter((line) => line.startsWith("| `ANALYTICS"))).toHaveLength(2)
    expect(markdown).not.toMatch(/more tables/)
  })

  it("a table name with Markdown's pipe and XML's specials is escaped in both", () => {
    const odd = table(1, `A|B<c>&"d"`)
    expect(reportMarkdown(reportOf([odd]))).toContain("A\\|B")
    const xml = reportJunit(reportOf([odd]))
    expect(xml).toContain("A|B&lt;c&gt;&amp;&quot;d&quot;")
    expect(xml).not.toContain("<c>")
  })
})

describe("--fail-on's list", () => {
  it("reads known gates in their order, trimmed, and names the unknown ones", () => {
    expect(parseGates(" schema , different")).toEqual({ ok: true, gates: ["different", "schema"] })
    expect(parseGates("different,scheme,errors")).toEqual({ ok: false, unknown: ["scheme", "errors"] })
    expect(parseGates(",")).toMatchObject({ ok: false })
  })
})
