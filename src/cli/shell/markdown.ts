/**
 * The Markdown pieces step summaries are made of: inline code that nothing inside can
 * break, verbatim blocks and two-column tables.
 *
 * @module
 */

/** Inline code in a table cell: a fence longer than any backtick run inside, and pipes escaped. */
export const code = (text: string): string => {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = "`".repeat(longest + 1)
  const padded = text.startsWith("`") || text.endsWith("`") ? ` ${text} ` : text
  return `${fence}${padded}${fence}`.replaceAll("|", "\\|")
}

/** A block of text shown verbatim, fenced so nothing in it is read as Markdown. */
export const block = (text: string): string => {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length))
  const fence = "`".repeat(longest + 1)
  return `${fence}text\n${text}\n${fence}`
}

/** A two-column table without a header. */
export const rows = (entries: ReadonlyArray<readonly [string, string]>): string =>
  ["| | |", "|---|---|", ...entries.map(([label, value]) => `| ${label} | ${value} |`)].join("\n")
