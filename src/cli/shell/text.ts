/**
 * The small pieces every command's text output is made of: short SHAs, the CI system's
 * name, counted nouns, byte counts and aligned tables.
 *
 * @module
 */
import { ciSystemLabels, type CiSystemName } from "../facts/CiEnvironment.ts"

/** A SHA shortened the way git and GitHub show it. */
export const abbreviateSha = (sha: string): string => sha.slice(0, 7)

/** The CI system's display name, or a note that none was recognised. */
export const ciSystemLabel = (system: CiSystemName | undefined): string =>
  system === undefined ? "none detected" : ciSystemLabels[system] ?? system

/** `1 diff`, `3 diffs`. */
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`

/** A byte count for people: `512 B`, `56.1 kB`, `139.2 MB`. */
export const formatBytes = (bytes: number): string =>
  bytes < 1000
    ? `${bytes} B`
    : bytes < 1_000_000
    ? `${(bytes / 1000).toFixed(1)} kB`
    : bytes < 1_000_000_000
    ? `${(bytes / 1_000_000).toFixed(1)} MB`
    : `${(bytes / 1_000_000_000).toFixed(2)} GB`

/** An indented label/value table, with each value's source in a third column when given. */
export const labelTable = (rows: ReadonlyArray<readonly [string, string, string?]>): string => {
  const width = Math.max(...rows.map(([label]) => label.length))
  const valueWidth = Math.max(...rows.map(([, value, source]) => (source === undefined ? 0 : value.length)))
  return rows
    .map(([label, value, source]) =>
      `  ${label.padEnd(width)}  ${source === undefined ? value : `${value.padEnd(valueWidth)}  ${source}`}`.trimEnd()
    )
    .join("\n")
}

/** Rows as columns padded to their widest cell, one line each. */
export const columnTable = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)))
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ").trimEnd())
    .join("\n") + "\n"
}

/** A run's status as a sentence's verb: "is running", "is done", "failed", "was cancelled". */
export const runStatusPhrase = (status: string): string =>
  status === "failed" ? "failed" : status === "cancelled" ? "was cancelled" : `is ${status}`
