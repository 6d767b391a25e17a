/**
 * `npm run build:lib`, after `tsc`: puts an Effect-major check in front of every public entry
 * of `dist/`. Each entry `dist/X.js` that tsc wrote moves to `dist/X.impl.js`, and a small
 * `dist/X.js` takes its place: it reads the installed `effect`'s version, calls
 * `requireEffectMajor` (`src/core/effectMajor.ts`), and only then loads `X.impl.js` and
 * exports its names. ESM links a module's static imports before running any of it, and the
 * other major's `effect` fails there (a missing module or export), so the entry's body is
 * loaded with `import()`, after the check. The declarations (`dist/X.d.ts`) stay as tsc
 * wrote them: the names and types are the same.
 *
 * @module
 */
import * as esbuild from "esbuild"
import { readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { packageEntries } from "../src/core/effectMajor.ts"

/** The package root (a staging copy when `npm pack` runs in one, see scripts/tarballs.ts). */
const root = fileURLToPath(new URL("..", import.meta.url))

const marker = "// effect-datafold entry guard"

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  readonly exports: Record<string, string | { readonly default: string }>
}

const exportedNames = async (file: string): Promise<ReadonlyArray<string>> => {
  const result = await esbuild.build({
    entryPoints: [file],
    bundle: false,
    write: false,
    metafile: true,
    format: "esm",
    outfile: file,
    allowOverwrite: true,
    logLevel: "silent"
  })
  const [output] = Object.values(result.metafile.outputs)
  if (output === undefined) throw new Error(`esbuild read no exports from ${file}`)
  return output.exports
}

const guard = (subpath: string, entryFile: string, implFile: string, names: ReadonlyArray<string>): string => {
  const fromEntry = (file: string) => {
    const path = relative(dirname(entryFile), file)
    return path.startsWith(".") ? path : `./${path}`
  }
  return [
    `${marker} (scripts/guardEntries.ts): checks the installed Effect major, then loads the entry.`,
    `import { requireEffectMajor } from "${fromEntry(join(root, "dist", "core", "effectMajor.js"))}"`,
    `requireEffectMajor(`,
    `  ${JSON.stringify(subpath)},`,
    `  await import("effect/package.json", { with: { type: "json" } }).then((json) => json.default.version, () => undefined)`,
    `)`,
    `export const {`,
    ...names.map((name, i) => `  ${name}${i < names.length - 1 ? "," : ""}`),
    `} = await import("${fromEntry(implFile)}")`,
    ``
  ].join("\n")
}

for (const [subpath, target] of Object.entries(pkg.exports)) {
  if (subpath === "./package.json") continue
  if (packageEntries[subpath] === undefined) {
    throw new Error(`package.json exports ${subpath}, which src/core/effectMajor.ts's packageEntries does not list`)
  }
  const entryFile = join(root, typeof target === "string" ? target : target.default)
  if (readFileSync(entryFile, "utf8").startsWith(marker)) continue
  const implFile = entryFile.replace(/\.js$/, ".impl.js")
  renameSync(entryFile, implFile)
  writeFileSync(entryFile, guard(subpath, entryFile, implFile, await exportedNames(implFile)))
}
