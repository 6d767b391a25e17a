/**
 * `npm run check:cycles` catches what it is for: run on a fixture tree that breaks each
 * kind of rule once, the same config reports each break, and a type-only cycle too.
 */
import { execFile } from "node:child_process"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("..", import.meta.url))
const fixture = join(root, "test/fixtures/importRules")

/** Runs dependency-cruiser with the repository's config in `cwd`; its exit code is the number of errors. */
const cruise = async (cwd: string) => {
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"),
        "src",
        "-c",
        join(root, ".dependency-cruiser.cjs"),
        "--output-type",
        "json"
      ],
      { cwd, maxBuffer: 64 * 1024 * 1024 }
    )
    return JSON.parse(stdout) as Report
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout
    if (stdout === undefined || stdout === "") throw error
    return JSON.parse(stdout) as Report
  }
}

interface Report {
  readonly summary: {
    readonly violations: ReadonlyArray<
      { readonly from: string; readonly to: string; readonly rule: { readonly name: string } }
    >
  }
}

describe("check:cycles", () => {
  it(
    "reports a two-file type-only cycle, internal/ importing a service (not a model), core/ importing outside core/, and shell/ importing a command",
    async () => {
      const report = await cruise(fixture)
      const found = report.summary.violations.map(({ from, rule, to }) => `${rule.name}: ${from} -> ${to}`).sort()
      expect(found).toEqual([
        "cli-one-way-shell: src/cli/shell/output.ts -> src/cli/commands/run/run.ts",
        "core-stands-alone: src/core/rule.ts -> src/Model.ts",
        "no-circular: src/ping.ts -> src/pong.ts",
        "no-internal-to-services: src/internal/helper.ts -> src/DatafoldClient.ts"
      ])
    },
    120_000
  )
})
