/**
 * The Effect 4 entry loads its dbt calls on the first one, as the main entry does: bundled
 * with code splitting, nothing its start-up imports statically is the ZIP writer, the
 * multipart encoder or node:zlib; they are reached by a dynamic import only.
 */
import { expect, it } from "@effect/vitest"
import * as esbuild from "esbuild"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

// From the module URL rather than `import.meta.dirname`, which `deno check src/` does not type.
const root = fileURLToPath(new URL("../../..", import.meta.url))

/** The external modules the entry imports statically, and those reached only by a dynamic import. */
const externals = async (entry: string) => {
  const outdir = mkdtempSync(join(tmpdir(), "effect-datafold-effect4-lazy-"))
  try {
    const result = await esbuild.build({
      entryPoints: [join(root, entry)],
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      outdir,
      write: false,
      metafile: true,
      external: ["effect", "effect/*", "fflate", "form-data-encoder"],
      logLevel: "silent"
    })
    const outputs = result.metafile.outputs
    const start = Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined)!
    const atStart = new Set<string>()
    const later = new Set<string>()
    const visit = (path: string, dynamic: boolean, seen: Set<string>): void => {
      if (seen.has(path)) return
      seen.add(path)
      for (const edge of outputs[path]?.imports ?? []) {
        const isDynamic = dynamic || edge.kind === "dynamic-import"
        if (edge.external === true) (isDynamic ? later : atStart).add(edge.path)
        else visit(edge.path, isDynamic, seen)
      }
    }
    visit(start, false, new Set())
    return { atStart: [...atStart].sort(), later: [...later].filter((path) => !atStart.has(path)).sort() }
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
}

it("effect-datafold/effect4 imports no ZIP writer, multipart encoder or zlib at start-up", async () => {
  const { atStart, later } = await externals("src/effect4/index.ts")
  expect(atStart.some((path) => path.startsWith("effect/"))).toBe(true)
  expect(atStart.filter((path) => ["fflate", "form-data-encoder", "node:zlib"].includes(path))).toEqual([])
  expect(later).toEqual(expect.arrayContaining(["fflate", "form-data-encoder", "node:zlib"]))
}, 30_000)
