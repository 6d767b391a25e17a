/**
 * The TypeScript programs of the README and the guides in `docs/guides/`, read from those
 * files so the tests run exactly what users copy.
 *
 * @module
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { root } from "./project.ts"

/**
 * The first ```ts block in the section headed `heading` (e.g. "## Quick start (Effect)") of
 * `file` (from the repository root: "README.md", "docs/guides/effect-library.md"). The
 * section ends at the next heading of the same or a higher level, so a block that moves out
 * of its section fails here rather than another section's block being run instead.
 */
export const markdownProgram = (file: string, heading: string): string => {
  const lines = readFileSync(join(root, file), "utf8").split("\n")
  const level = /^#+/.exec(heading)?.[0].length
  if (level === undefined) throw new Error(`"${heading}" is not a Markdown heading (it starts with #)`)
  let inFence = false
  let start: number | undefined
  let end = lines.length
  for (const [i, line] of lines.entries()) {
    if (line.startsWith("```")) inFence = !inFence
    if (inFence) continue
    if (start === undefined) {
      if (line === heading) start = i + 1
    } else if ((/^#+ /.exec(line)?.[0].length ?? 99) - 1 <= level) {
      end = i
      break
    }
  }
  if (start === undefined) throw new Error(`${file} has no heading "${heading}"`)
  const block = /^```ts\n([\s\S]*?)\n```$/m.exec(lines.slice(start, end).join("\n"))
  if (block === null) throw new Error(`${file} has no \`\`\`ts block in its section "${heading}"`)
  return `${block[1]}\n`
}
