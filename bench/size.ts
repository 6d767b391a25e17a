/**
 * Size: the minified and gzipped bytes an application pays for `triggerCiRun` with
 * `DatafoldClient.Default` (esbuild, bundled, tree-shaken, browser-ish ESM), beside an
 * application doing one POST with `effect` + `@effect/platform` alone; and the size of
 * the bundled CLI: what a trigger loads (the entry and its chunks) and the whole package.
 */
import * as esbuild from "esbuild"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { buildCliBundle, type CliFile } from "../scripts/bundles.ts"
import { ratio } from "./stats.ts"

/** Bytes of one bundle. */
export interface BundleSize {
  readonly name: string
  readonly rawBytes: number
  readonly gzipBytes: number
}

/** The size figure. */
export interface SizeResult {
  readonly client: BundleSize
  readonly platformOnly: BundleSize
  /** Client app gzip bytes over the platform-only app's. */
  readonly ratio: number
  /** The largest inputs of the client app, by bytes in the output. */
  readonly clientTopInputs: ReadonlyArray<{ readonly path: string; readonly bytes: number }>
  /**
   * The CLI package's bundle: what a trigger loads, every file, and the floor of any CLI
   * on Effect with the library's error classes (`coldstart/effectFloor.ts`, minified).
   */
  readonly cli: { readonly triggerPath: BundleSize; readonly all: BundleSize; readonly effectFloor: BundleSize }
}

const gzip = (bytes: Uint8Array): number => gzipSync(bytes, { level: 9 }).byteLength

const bundle = async (name: string, entry: string): Promise<{ size: BundleSize; metafile: esbuild.Metafile }> => {
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    metafile: true,
    logLevel: "silent",
    outfile: "out.js"
  })
  const output = result.outputFiles[0]!.contents
  return { size: { name, rawBytes: output.byteLength, gzipBytes: gzip(output) }, metafile: result.metafile }
}

/** The Effect + Schema cold-start floor script, bundled for Node and minified as the CLI is. */
const effectFloorSize = async (): Promise<BundleSize> => {
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(new URL("./coldstart/effectFloor.ts", import.meta.url))],
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "silent",
    outfile: "out.js"
  })
  const output = result.outputFiles[0]!.contents
  return { name: "Effect + Schema floor script", rawBytes: output.byteLength, gzipBytes: gzip(output) }
}

/** Measure the size figure (no server needed). */
export const runSize = async (): Promise<SizeResult> => {
  const client = await bundle("triggerCiRun + DatafoldClient.Default", "./size/clientApp.ts")
  const platform = await bundle("effect + @effect/platform HttpClient only", "./size/platformApp.ts")
  const inputs = Object.values(client.metafile.outputs)[0]!.inputs
  const grouped = new Map<string, number>()
  for (const [path, info] of Object.entries(inputs)) {
    const key = path.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, "$1").replace(
      /^(\.\.\/)*src\/.*$/,
      "effect-datafold (src)"
    )
    grouped.set(key, (grouped.get(key) ?? 0) + info.bytesInOutput)
  }
  const clientTopInputs = [...grouped].map(([path, bytes]) => ({ path, bytes })).sort((a, b) => b.bytes - a.bytes)
    .slice(0, 6)
  // Built afresh into a scratch folder, as `npm run build:cli` builds it, with esbuild's account of what each command loads.
  const cliDir = mkdtempSync(join(tmpdir(), "bench-cli-"))
  const cliBuild = await buildCliBundle(cliDir)
  const cliSize = (name: string, files: ReadonlyArray<CliFile>, dir: string): BundleSize => {
    const contents = files.map((file) => readFileSync(join(dir, file.path)))
    return {
      name,
      rawBytes: contents.reduce((sum, bytes) => sum + bytes.byteLength, 0),
      gzipBytes: contents.reduce((sum, bytes) => sum + gzip(bytes), 0)
    }
  }
  const cli = {
    triggerPath: cliSize(
      "CLI: what a trigger loads (entry, startup and trigger chunks)",
      [...cliBuild.startup, ...(cliBuild.commands["triggerCommand"] ?? [])],
      cliDir
    ),
    all: cliSize(`CLI: the whole dist/ (${cliBuild.files.length} files)`, cliBuild.files, cliDir),
    effectFloor: await effectFloorSize()
  }
  rmSync(cliDir, { recursive: true, force: true })
  return {
    client: client.size,
    platformOnly: platform.size,
    ratio: ratio(client.size.gzipBytes, platform.size.gzipBytes),
    clientTopInputs,
    cli
  }
}
