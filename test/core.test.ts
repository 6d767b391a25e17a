/**
 * The shared core is plain TypeScript: both Effect majors' entries import it, so it must
 * not import either Effect (nor anything that does).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const coreDir = join(import.meta.dirname, "..", "src", "core")
/** The modules a file imports, as TypeScript reads them (so a `from "…"` inside a string is not one). */
const imports = (file: string) =>
  ts.preProcessFile(readFileSync(join(coreDir, file), "utf8"), true, true).importedFiles.map((ref) => ref.fileName)

describe("src/core", () => {
  const files = readdirSync(coreDir).filter((file) => file.endsWith(".ts"))

  it("holds the shared modules", () => {
    expect(files).toEqual(expect.arrayContaining(["messages.ts", "outcome.ts", "scrub.ts", "transportFailure.ts"]))
  })

  for (const file of files) {
    it(`${file} imports no Effect package, only core modules`, () => {
      for (const specifier of imports(file)) {
        expect(specifier.startsWith("./"), `${file} imports ${specifier}`).toBe(true)
      }
    })
  }
})
