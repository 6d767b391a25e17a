/**
 * The local server's shared parts (front door, state, FastAPI rules, faults, the plain API)
 * serve both `effect-datafold/testing` and `effect-datafold/effect4/testing`, so they
 * import no Effect package, only each other and Node's own modules.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const testingDir = join(import.meta.dirname, "..", "src", "testing")
const shared = ["Fault.ts", "fastApiValidation.ts", "frontDoor.ts", "plainApi.ts", "serverState.ts"]
const imports = (file: string) =>
  [...readFileSync(join(testingDir, file), "utf8").matchAll(/\bfrom\s+"([^"]+)"/g)].map((match) => match[1] ?? "")

describe("the local server's shared parts", () => {
  for (const file of shared) {
    it(`${file} imports no Effect package`, () => {
      for (const specifier of imports(file)) {
        expect(/^(?:\.\/[\w.]+\.ts|node:\w+)$/.test(specifier), `${file} imports ${specifier}`).toBe(true)
      }
    })
  }

  it("the Effect 4 server is built from them and from no Effect 3 module", () => {
    const source = readFileSync(join(testingDir, "..", "effect4", "testing", "LocalDatafoldServer.ts"), "utf8")
    const specifiers = [...source.matchAll(/\bfrom\s+"([^"]+)"/g)].map((match) => match[1] ?? "")
    expect(specifiers.filter((specifier) => specifier.startsWith("../../testing/")).sort()).toEqual([
      "../../testing/Fault.ts",
      "../../testing/frontDoor.ts",
      "../../testing/plainApi.ts",
      "../../testing/serverState.ts"
    ])
    expect(specifiers.filter((specifier) => specifier.startsWith("@effect/"))).toEqual([])
  })
})
