/**
 * A positive whole number as a flag, a variable or an event field spells it: decimal
 * digits only ("0x1f", "1e3", "12abc" and "false" are not numbers here), a safe integer,
 * above 0. Ids (PR numbers, CI runs, data sources, data diffs) and counts are read with it.
 *
 * @module
 */

/** The number `raw` spells, or `undefined` when it is not a positive whole number. */
export const parsePositiveWhole = (raw: string | number): number | undefined => {
  if (typeof raw === "number") return Number.isSafeInteger(raw) && raw > 0 ? raw : undefined
  const text = raw.trim()
  if (!/^[0-9]+$/.test(text)) return undefined
  const n = Number(text)
  return Number.isSafeInteger(n) && n > 0 ? n : undefined
}
