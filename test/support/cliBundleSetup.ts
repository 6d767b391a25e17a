/**
 * Builds the `datafold-ci` bundle once per test run, as `npm run build:cli` builds it
 * (`buildCliBundle`), into a temporary folder, and hands it to every test file through
 * `inject("cliBundle")`. The CLI tests run this bundle with plain node, as CI runs the
 * published package: each run starts in about a tenth of the time tsx takes to load the
 * sources, and the tests exercise the very files that ship.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TestProject } from "vitest/node"
import { buildCliBundle, type CliBuild, cliEntryName } from "../../scripts/bundles.ts"

/** The bundle the run built: where it is, its entry, and what each command loads. */
export interface CliBundle {
  readonly dir: string
  readonly entry: string
  readonly build: CliBuild
}

declare module "vitest" {
  export interface ProvidedContext {
    readonly cliBundle: CliBundle
  }
}

/** vitest's global setup: build, provide, and remove the folder when the run ends. */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "datafold-ci-bundle-"))
  const build = await buildCliBundle(dir)
  project.provide("cliBundle", { dir, entry: join(dir, cliEntryName), build })
  return () => rmSync(dir, { recursive: true, force: true })
}
