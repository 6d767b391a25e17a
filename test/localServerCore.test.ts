/**
 * The local server's shared parts (front door, state, FastAPI rules, faults, the plain API)
 * serve both `effect-datafold/testing` and `effect-datafold/effect4/testing`, so they
 * import no Effect package, only each other, the shared core and Node's own modules (and
 * `fflate`, the ZIP reader, in the one file that checks uploaded archives).
 */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const localServerDir = join(import.meta.dirname, "..", "src", "localServer")
const shared = [
  "Fault.ts",
  "dataDiffs.ts",
  "dataDiffsApi.ts",
  "dbtApi.ts",
  "dbtArtifacts.ts",
  "fastApiValidation.ts",
  "formBody.ts",
  "frontDoor.ts",
  "plainApi.ts",
  "primaryKeys.ts",
  "requestBody.ts",
  "serverState.ts",
  "zipDirectory.ts"
]
// `src/core/` is the Effect-free code both majors share (its own check keeps it so).
const allowed = (file: string, specifier: string) =>
  /^(?:\.\/[\w.]+\.ts|\.\.\/core\/[\w/]+\.ts|node:\w+)$/.test(specifier) ||
  (file === "dbtArtifacts.ts" && specifier === "fflate")
/** The modules a file imports: its own import and export statements, not the examples in its comments. */
const imports = (file: string) =>
  [...readFileSync(join(localServerDir, file), "utf8").matchAll(/^(?:import|export)\b[^"]*?\bfrom\s+"([^"]+)"/gm)].map((
    match
  ) => match[1] ?? "")

describe("the local server's shared parts", () => {
  for (const file of shared) {
    it(`${file} imports no Effect package`, () => {
      for (const specifier of imports(file)) {
        expect(allowed(file, specifier), `${file} imports ${specifier}`).toBe(true)
      }
    })
  }

  it("every file beside them is one of them or an Effect 3 one", () => {
    const effect3 = ["LocalDatafoldServer.ts", "declarativeApiHandler.ts"]
    expect(readdirSync(localServerDir).sort()).toEqual([...shared, ...effect3].sort())
  })

  it("the Effect 4 server is built from them and from no Effect 3 module", () => {
    const source = readFileSync(join(localServerDir, "..", "effect4", "localServer", "LocalDatafoldServer.ts"), "utf8")
    const specifiers = [...source.matchAll(/\bfrom\s+"([^"]+)"/g)].map((match) => match[1] ?? "")
    expect(specifiers.filter((specifier) => specifier.startsWith("../../localServer/")).sort()).toEqual([
      "../../localServer/Fault.ts",
      "../../localServer/frontDoor.ts",
      "../../localServer/plainApi.ts",
      "../../localServer/serverState.ts"
    ])
    expect(specifiers.filter((specifier) => specifier.startsWith("@effect/"))).toEqual([])
  })
})
