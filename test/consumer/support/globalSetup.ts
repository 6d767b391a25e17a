/**
 * Packs both tarballs once per test run (through `scripts/tarballs.ts`, as `npm run
 * package` does) and hands their paths to every consumer test through `inject("tarballs")`.
 */
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { TestProject } from "vitest/node"
import { packTarballs, type Tarballs } from "../../../scripts/tarballs.ts"

declare module "vitest" {
  export interface ProvidedContext {
    readonly tarballs: Tarballs
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const destination = mkdtempSync(join(tmpdir(), "effect-datafold-tarballs-"))
  project.provide("tarballs", await packTarballs(destination))
  return () => rmSync(destination, { recursive: true, force: true })
}
