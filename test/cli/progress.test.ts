/**
 * How long commands show progress on stderr: on a terminal one live line, rewritten in
 * place (carriage return, clear line) and ended before anything else is written; in a CI
 * log one line each time the status changes, never a line per look.
 */
import { describe, expect, it } from "@effect/vitest"
import { makeProgress } from "../../src/cli/shell/io.ts"
import { formatBytes } from "../../src/cli/shell/text.ts"

const captured = () => {
  const writes: Array<string> = []
  return { writes, io: { stdout: () => {}, stderr: (text: string) => void writes.push(text) } }
}

describe("progress on stderr", () => {
  it("on a terminal: one line rewritten in place, ended before a note", () => {
    const { io, writes } = captured()
    const progress = makeProgress(io, true)
    progress.status("Datafold CI run 5 is running (2s)", "running")
    progress.status("Datafold CI run 5 is running (5s)", "running")
    progress.note("left out leak.txt")
    progress.status("Datafold CI run 5 is done (9s)", "done")
    progress.end()
    progress.end()
    expect(writes).toEqual([
      "\r\x1b[2KDatafold CI run 5 is running (2s)",
      "\r\x1b[2KDatafold CI run 5 is running (5s)",
      "\n",
      "datafold-ci: left out leak.txt\n",
      "\r\x1b[2KDatafold CI run 5 is done (9s)",
      "\n"
    ])
  })

  it("in a log: a line when the status changes, none for the same status again, no control characters", () => {
    const { io, writes } = captured()
    const progress = makeProgress(io, false)
    progress.status("Datafold CI run 5 is running (2s)", "running")
    progress.status("Datafold CI run 5 is running (5s)", "running")
    progress.status("Datafold CI run 5 is done (9s)", "done")
    progress.end()
    expect(writes).toEqual([
      "datafold-ci: Datafold CI run 5 is running (2s)\n",
      "datafold-ci: Datafold CI run 5 is done (9s)\n"
    ])
  })

  it("sizes read as people write them", () => {
    expect([512, 56_100, 139_200_000, 4_200_000_000].map(formatBytes)).toEqual([
      "512 B",
      "56.1 kB",
      "139.2 MB",
      "4.20 GB"
    ])
  })
})
