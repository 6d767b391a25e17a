/**
 * The lowest versions the package's peer ranges allow, which the consumer projects install
 * (a different patch than this repository's dev pins).
 *
 * @module
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { root } from "./project.ts"

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  readonly peerDependencies: Record<string, string>
}

/** The lowest version of the first range of a caret peer: `^3.22.0 || ^4.1.0` → `3.22.0`. */
export const floorOf = (name: string): string => {
  const range = pkg.peerDependencies[name]?.split("||")[0]?.trim()
  if (range === undefined || !range.startsWith("^")) throw new Error(`${name} is not a caret peer: ${range}`)
  return range.slice(1)
}

/** The Effect 3 floor. */
export const effect3Floor: string = floorOf("effect")
