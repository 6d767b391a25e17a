/**
 * The README's TypeScript programs, read from the README itself so the tests run exactly
 * what users copy.
 *
 * @module
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { root } from "./project.ts"

/** The first ```ts block after the Markdown heading `heading` (e.g. "## Quick start (Effect)"). */
export const readmeProgram = (heading: string, readme = join(root, "README.md")): string => {
  const text = readFileSync(readme, "utf8")
  const at = text.indexOf(`\n${heading}\n`)
  if (at === -1) throw new Error(`README has no heading "${heading}"`)
  const block = /```ts\n([\s\S]*?)\n```/.exec(text.slice(at))
  if (block === null) throw new Error(`README has no \`\`\`ts block after "${heading}"`)
  return `${block[1]}\n`
}
