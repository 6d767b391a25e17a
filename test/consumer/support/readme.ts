/**
 * The TypeScript programs of the README and the guides in `docs/guides/`, read from those
 * files so the tests run exactly what users copy.
 *
 * @module
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { root } from "./project.ts"

/** The lines of the section headed `heading` of `file`, up to the next heading of its level or higher. */
const sectionOf = (file: string, heading: string): ReadonlyArray<string> => {
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
  return lines.slice(start, end)
}

/**
 * Every fenced block of `language` ("sh", "ts") in the section headed `heading` of `file`,
 * in order, each without its fences and ending with a newline.
 */
export const markdownBlocks = (file: string, heading: string, language: string): ReadonlyArray<string> => {
  const blocks: Array<string> = []
  let current: Array<string> | undefined
  for (const line of sectionOf(file, heading)) {
    if (current === undefined) {
      if (line === "```" + language) current = []
    } else if (line === "```") {
      blocks.push(`${current.join("\n")}\n`)
      current = undefined
    } else current.push(line)
  }
  return blocks
}

/**
 * The first ```ts block in the section headed `heading` (e.g. "## Quick start (Effect)") of
 * `file` (from the repository root: "README.md", "docs/guides/effect-library.md"). The
 * section ends at the next heading of the same or a higher level, so a block that moves out
 * of its section fails here rather than another section's block being run instead.
 */
export const markdownProgram = (file: string, heading: string): string => {
  const [block] = markdownBlocks(file, heading, "ts")
  if (block === undefined) throw new Error(`${file} has no \`\`\`ts block in its section "${heading}"`)
  return block
}
