/**
 * Which Effect major each entry of the npm package is compiled against, and the error when
 * the installed `effect` is another major. The built entries (`dist/index.js` …, written by
 * `scripts/guardEntries.ts` after `tsc`) call `requireEffectMajor` with the installed
 * `effect`'s version before they load any module that imports Effect, so importing the
 * wrong entry fails at once with one clear error rather than with a `TypeError` or a
 * missing module deep inside Effect.
 *
 * @since 0.2.0
 */

/**
 * One public entry of the npm package.
 *
 * @since 0.2.0
 * @category models
 */
export interface PackageEntry {
  /** The import path a user writes, e.g. `effect-datafold/testing`. */
  readonly path: string
  /** The Effect major it is compiled against. */
  readonly major: 3 | 4
  /** The entry with the same code for the other major, when there is one. */
  readonly counterpart: string | undefined
}

/**
 * Every public entry, by its subpath in package.json's `exports`. The build fails on an
 * export missing here, so no entry ships unguarded.
 *
 * @since 0.2.0
 * @category constants
 */
export const packageEntries: Readonly<Record<string, PackageEntry>> = {
  ".": { path: "effect-datafold", major: 3, counterpart: "effect-datafold/effect4" },
  "./api": { path: "effect-datafold/api", major: 3, counterpart: undefined },
  "./testing": { path: "effect-datafold/testing", major: 3, counterpart: "effect-datafold/effect4/testing" },
  "./node": { path: "effect-datafold/node", major: 3, counterpart: undefined },
  "./effect4": { path: "effect-datafold/effect4", major: 4, counterpart: "effect-datafold" },
  "./effect4/testing": { path: "effect-datafold/effect4/testing", major: 4, counterpart: "effect-datafold/testing" }
}

/**
 * Thrown when an entry is imported with another Effect major installed: names the entry,
 * both majors and what to import or install instead.
 *
 * @since 0.2.0
 * @category errors
 */
export class EffectMajorMismatchError extends Error {
  /** The entry that was imported, e.g. `effect-datafold`. */
  readonly entry: string
  /** The Effect major the entry is for. */
  readonly expected: 3 | 4
  /** The installed `effect`'s version. */
  readonly installed: string

  constructor(entry: PackageEntry, installed: string) {
    super(mismatchMessage(entry, installed))
    this.name = "EffectMajorMismatchError"
    this.entry = entry.path
    this.expected = entry.major
    this.installed = installed
  }
}

/**
 * The major of a version string (`"4.1.0"` → 4), or undefined when it is not one.
 *
 * @since 0.2.0
 * @category guards
 */
export const majorOf = (version: string): number | undefined => {
  const match = /^(\d+)\./.exec(version)
  return match === null ? undefined : Number(match[1])
}

const mismatchMessage = (entry: PackageEntry, installed: string): string => {
  const other = majorOf(installed)
  const head = `${entry.path} is for Effect ${entry.major}; Effect ${installed} is installed`
  if (other !== 3 && other !== 4) {
    return `${head}: install effect@${entry.major}.`
  }
  if (entry.counterpart === undefined) {
    return `${head}, and ${entry.path} has no Effect ${other} counterpart: install effect@${entry.major} to use it` +
      (other === 4 ? ` (on Effect 4, the client is "effect-datafold/effect4").` : ".")
  }
  return `${head}: import from "${entry.counterpart}" instead, or install effect@${entry.major}.`
}

/**
 * Throws `EffectMajorMismatchError` when `installed` (the installed `effect`'s version) is
 * not of the entry's major. An unknown version (`effect/package.json` unreadable) passes:
 * the check never adds a failure of its own.
 *
 * @since 0.2.0
 * @category guards
 */
export const requireEffectMajor = (subpath: string, installed: string | undefined): void => {
  const entry = packageEntries[subpath]
  if (entry === undefined || installed === undefined) return
  if (majorOf(installed) !== entry.major) throw new EffectMajorMismatchError(entry, installed)
}
