/**
 * Size: the minified and gzipped bytes an application pays for `triggerCiRun` with
 * `DatafoldClient.Default` (esbuild, bundled, tree-shaken, browser-ish ESM), beside an
 * application doing one POST with `effect` + `@effect/platform` alone; and the size of
 * the bundled CLI.
 */
import * as esbuild from "esbuild"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { CLI_BUNDLE } from "./coldStart.ts"
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
  readonly cli: BundleSize | undefined
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
  const cli = existsSync(CLI_BUNDLE)
    ? (() => {
      const bytes = readFileSync(CLI_BUNDLE)
      return {
        name: "packages/datafold-ci/dist/datafold-ci.js (CLI bundle)",
        rawBytes: bytes.byteLength,
        gzipBytes: gzip(bytes)
      }
    })()
    : undefined
  return {
    client: client.size,
    platformOnly: platform.size,
    ratio: ratio(client.size.gzipBytes, platform.size.gzipBytes),
    clientTopInputs,
    cli
  }
}
