/**
 * Packs the two npm packages this repository publishes, the way `npm publish` would:
 * `effect-datafold` (the library) and `datafold-ci` (the CLI: bundled, no dependencies). Each is
 * packed from a staging copy, so neither the working tree's `dist/` nor another test's
 * build is touched. `npm run package` and the package tests both come through here.
 *
 * @module
 */
import { execFile } from "node:child_process"
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { buildCliBundle, type CliBuild, root } from "./bundles.ts"

/** The paths of the two packed tarballs, and what each holds. */
export interface Tarballs {
  readonly library: PackedTarball
  readonly cli: PackedTarball
  /** What the CLI's build wrote into its `dist/` (the tarball must hold exactly that). */
  readonly cliBuild: CliBuild
}

/** One `npm pack` result. */
export interface PackedTarball {
  readonly path: string
  readonly files: ReadonlyArray<string>
  readonly size: number
}

interface NpmPackJson {
  readonly filename: string
  readonly size: number
  readonly files: ReadonlyArray<{ readonly path: string }>
}

const npmPack = (cwd: string, destination: string): Promise<PackedTarball> =>
  new Promise((resolve, reject) => {
    execFile(
      "npm",
      ["pack", "--json", "--pack-destination", destination],
      { cwd, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(new Error(`npm pack in ${cwd} failed: ${error.message}\n${stderr}`))
          return
        }
        const [packed] = JSON.parse(stdout) as ReadonlyArray<NpmPackJson>
        if (packed === undefined) {
          reject(new Error(`npm pack in ${cwd} printed no tarball`))
          return
        }
        resolve({
          path: join(destination, packed.filename),
          files: packed.files.map((file) => file.path).sort(),
          size: packed.size
        })
      }
    )
  })

/**
 * The library: `prepack` empties `dist/` and compiles `src/` (see package.json). The guides
 * in `docs/guides/` ship beside the README, which links into them, so its links resolve in
 * an installed package too; the API reference (`docs/modules/`) and the architecture notes
 * are for the repository and stay out. The root package.json's `bin` (the checkout's
 * `datafold-ci`, `scripts/datafold-ci.mjs`, which runs the CLI's source through tsx) is
 * dropped: the CLI ships as the `datafold-ci` package, and the library installs no command.
 */
const packLibrary = (stage: string, destination: string): Promise<PackedTarball> => {
  // The Effect 4 tree's node_modules (Effect 4 for its build) is linked, not copied.
  const effect4Modules = join("src", "effect4", "node_modules")
  for (
    const entry of [
      "src",
      "scripts/guardEntries.ts",
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "README.md",
      "docs/guides",
      "LICENSE"
    ]
  ) {
    cpSync(join(root, entry), join(stage, entry), {
      recursive: true,
      filter: (source) => source !== join(root, effect4Modules)
    })
  }
  const manifest = JSON.parse(readFileSync(join(stage, "package.json"), "utf8")) as Record<string, unknown>
  delete manifest["bin"]
  writeFileSync(join(stage, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`)
  symlinkSync(join(root, "node_modules"), join(stage, "node_modules"), "dir")
  symlinkSync(join(root, effect4Modules), join(stage, effect4Modules), "dir")
  return npmPack(stage, destination)
}

/** The CLI: the package directory's package.json and README, the license, and the bundle's files. */
const packCli = async (stage: string, destination: string): Promise<{ packed: PackedTarball; build: CliBuild }> => {
  cpSync(join(root, "packages", "datafold-ci"), stage, {
    recursive: true,
    filter: (source) => !source.startsWith(join(root, "packages", "datafold-ci", "dist"))
  })
  cpSync(join(root, "LICENSE"), join(stage, "LICENSE"))
  const build = await buildCliBundle(join(stage, "dist"))
  return { packed: await npmPack(stage, destination), build }
}

/** Packs both packages into `destination` (created when missing). */
export const packTarballs = async (destination: string): Promise<Tarballs> => {
  mkdirSync(destination, { recursive: true })
  const work = mkdtempSync(join(tmpdir(), "effect-datafold-stage-"))
  try {
    const libraryStage = join(work, "effect-datafold")
    const cliStage = join(work, "datafold-ci")
    mkdirSync(libraryStage)
    mkdirSync(cliStage)
    const [library, cli] = await Promise.all([packLibrary(libraryStage, destination), packCli(cliStage, destination)])
    return { library, cli: cli.packed, cliBuild: cli.build }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
