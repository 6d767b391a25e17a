/**
 * The main entry and `effect-datafold/node` load without `@effect/platform`, an optional
 * peer: bundled with code splitting and the peers left external, nothing their start-up
 * imports statically (the entry, and every chunk it imports before running) is a module
 * of the platform. What needs the platform is reached by dynamic imports only, so it is
 * loaded when used (`DatafoldClient.layer`, the `HttpClient` layers, the local server).
 * The consumer test `withoutPlatform.test.ts` runs the packed tarball in such a project.
 */
import { describe, expect, it } from "@effect/vitest"
import * as esbuild from "esbuild"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { root } from "../cli/support/runCli.ts"

/** The external modules an entry imports statically, through every chunk it imports statically. */
const staticExternals = async (entry: string): Promise<ReadonlyArray<string>> => {
  const outdir = mkdtempSync(join(tmpdir(), "effect-datafold-platform-free-"))
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
      external: ["effect", "effect/*", "@effect/platform", "@effect/platform/*", "undici"],
      logLevel: "silent"
    })
    const outputs = result.metafile.outputs
    // One entry point: the one output that has one is where start-up begins.
    const start = Object.keys(outputs).find((path) => outputs[path]?.entryPoint !== undefined)
    const seen = new Set<string>()
    const externals = new Set<string>()
    const visit = (path: string): void => {
      if (seen.has(path)) return
      seen.add(path)
      for (const edge of outputs[path]?.imports ?? []) {
        if (edge.kind !== "import-statement") continue
        if (edge.external === true) externals.add(edge.path)
        else visit(edge.path)
      }
    }
    visit(start!)
    return [...externals].sort()
  } finally {
    rmSync(outdir, { recursive: true, force: true })
  }
}

describe("loading without @effect/platform", () => {
  it.each(["src/index.ts", "src/node.ts"])("%s imports no @effect/platform module at start-up", async (entry) => {
    const externals = await staticExternals(entry)
    expect(externals.some((path) => path.startsWith("effect/"))).toBe(true)
    expect(externals.filter((path) => path.startsWith("@effect/platform"))).toEqual([])
  })

  it("effect-datafold/api does import it statically (the check sees a platform import)", async () => {
    expect((await staticExternals("src/api.ts")).filter((path) => path.startsWith("@effect/platform")).length)
      .toBeGreaterThan(0)
  })
})
