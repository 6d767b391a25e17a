/**
 * The gates of `--fail-on`: which findings of a run's report should fail the pipeline.
 * Without gates a finished run passes whatever it found; each gate names what trips it,
 * and every table that tripped one is reported with the reason.
 *
 * @since 0.3.0
 */
import type { RunReport, TableReport } from "./report.ts"

/**
 * The gates, as `--fail-on` spells them:
 *
 * - `different`: rows added, removed or updated, or values that differ;
 * - `schema`: a column added, removed or retyped;
 * - `error`: a diff failed;
 * - `missing-pks`: Datafold could not compare rows for lack of primary keys, or found null ones;
 * - `duplicate-pks`: a primary key is duplicated on either side.
 *
 * @since 0.3.0
 * @category models
 */
export type Gate = "different" | "schema" | "error" | "missing-pks" | "duplicate-pks"

/**
 * Every gate, in the order they are listed.
 *
 * @since 0.3.0
 * @category constants
 */
export const GATES: ReadonlyArray<Gate> = ["different", "schema", "error", "missing-pks", "duplicate-pks"]

/**
 * One table that tripped one gate, and why, in words.
 *
 * @since 0.3.0
 * @category models
 */
export interface GateTrip {
  readonly gate: Gate
  readonly diffId: number
  readonly table: string
  readonly why: string
}

const isGate = (name: string): name is Gate => (GATES as ReadonlyArray<string>).includes(name)

/**
 * Reads `--fail-on`'s comma-separated list: the gates, or the names it did not know.
 *
 * @since 0.3.0
 * @category rules
 */
export const parseGates = (
  list: string
): { readonly ok: true; readonly gates: ReadonlyArray<Gate> } | {
  readonly ok: false
  readonly unknown: ReadonlyArray<string>
} => {
  const names = list.split(",").map((name) => name.trim()).filter((name) => name !== "")
  const unknown = names.filter((name) => !isGate(name))
  if (unknown.length > 0 || names.length === 0) return { ok: false, unknown: names.length === 0 ? [list] : unknown }
  return { ok: true, gates: GATES.filter((gate) => names.includes(gate)) }
}

const count = (n: number, what: string): string => `${n} ${what}`

/** Why `table` trips `gate`, or `undefined` when it does not. */
const tripOf = (gate: Gate, table: TableReport): string | undefined => {
  switch (gate) {
    case "different": {
      if (table.verdict !== "different") return undefined
      const parts = [
        ...(table.rows === null ? [] : [
          ...(table.rows.added > 0 ? [count(table.rows.added, "rows added")] : []),
          ...(table.rows.removed > 0 ? [count(table.rows.removed, "rows removed")] : []),
          ...(table.rows.updated > 0 ? [count(table.rows.updated, "rows updated")] : [])
        ]),
        ...(table.columns.length > 0 ? [count(table.columns.length, "columns with different values")] : [])
      ]
      return parts.length > 0 ? parts.join(", ") : undefined
    }
    case "schema": {
      const parts = [
        ...(table.columnsAdded.length > 0 ? [`columns added: ${table.columnsAdded.join(", ")}`] : []),
        ...(table.columnsRemoved.length > 0 ? [`columns removed: ${table.columnsRemoved.join(", ")}`] : []),
        ...(table.typeChanges.length > 0 ? [`types changed: ${table.typeChanges.join(", ")}`] : [])
      ]
      return parts.length > 0 ? parts.join("; ") : undefined
    }
    case "error":
      return table.verdict === "failed"
        ? `the diff failed${table.error === null ? "" : `: ${table.error.error_type}: ${table.error.error_value}`}`
        : undefined
    case "missing-pks": {
      if (table.result === "missing-pks") return "Datafold found no primary key to compare rows by"
      const nulls = table.primaryKeys?.nulls
      return nulls !== undefined && (nulls[0] > 0 || nulls[1] > 0)
        ? `null primary keys: ${nulls[0]} in table 1, ${nulls[1]} in table 2`
        : undefined
    }
    case "duplicate-pks": {
      const dupes = table.primaryKeys?.duplicates
      return dupes !== undefined && (dupes[0] > 0 || dupes[1] > 0)
        ? `duplicate primary keys: ${dupes[0]} in table 1, ${dupes[1]} in table 2`
        : undefined
    }
  }
}

/**
 * Every table of `report` that trips one of `gates`, with why; empty when the run passes.
 *
 * @since 0.3.0
 * @category rules
 */
export const gateTrips = (report: RunReport, gates: ReadonlyArray<Gate>): ReadonlyArray<GateTrip> =>
  report.tables.flatMap((table) =>
    gates.flatMap((gate) => {
      const why = tripOf(gate, table)
      return why === undefined ? [] : [{ gate, diffId: table.diffId, table: table.table2, why }]
    })
  )
