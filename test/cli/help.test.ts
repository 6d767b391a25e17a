/**
 * `datafold-ci --help`, `--version`, and no command at all, through the real CLI (the bundle;
 * `--version` from the sources too, as `npm run datafold-ci` runs them).
 */
import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ciSystemLabels } from "../../src/cli/facts/CiEnvironment.ts"
import { exitCodeDescriptions } from "../../src/cli/shell/ExitCode.ts"
import { root, runCli } from "./support/runCli.ts"

const flags = [
  "--ci-config-id",
  "--pr-num",
  "--pr-number",
  "--pr-branch",
  "--base-branch",
  "--pr-sha",
  "--base-sha",
  "--host",
  "--timeout",
  "--retries",
  "--dry-run",
  "--json",
  "--help",
  "--version"
]

const envVars = [
  "DATAFOLD_API_KEY",
  "DATAFOLD_APIKEY",
  "DATAFOLD_HOST",
  "DATAFOLD_CI_CONFIG_ID",
  "DATAFOLD_TIMEOUT",
  "DATAFOLD_RETRIES",
  "GITHUB_STEP_SUMMARY"
]

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

describe.concurrent("datafold-ci help and version", { timeout: 60_000 }, () => {
  it("--help is a short overview of every command, at most 40 lines, exit 0", async () => {
    const result = await runCli(["--help"])
    expect(result.code).toBe(0)
    expect(result.stdout.trimEnd().split("\n").length).toBeLessThanOrEqual(40)
    for (const command of ["trigger", "submit", "runs", "dbt upload", "dbt upload-and-wait", "serve"]) {
      expect(result.stdout).toContain(`datafold-ci ${command}`)
    }
    expect(result.stdout).toContain("check-primary-keys")
    // Each command's help is its own: not the overview, and not another command's.
    const submit = await runCli(["submit", "--help"])
    expect(submit.stdout).toMatch(/^datafold-ci submit:/)
    const upload = await runCli(["dbt", "upload", "--help"])
    expect(upload.stdout).toMatch(/^datafold-ci dbt upload:/)
  })

  it("the SDK's spelling `ci submit --help` shows submit's help and exits 0", async () => {
    const result = await runCli(["ci", "submit", "--help"])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/^datafold-ci submit:/)
  })

  it("trigger --help documents every flag, variable, exit code and CI system, on stdout, exit 0", async () => {
    const result = await runCli(["trigger", "--help"])
    expect(result.code).toBe(0)
    for (const flag of flags) expect(result.stdout).toContain(flag)
    for (const name of envVars) expect(result.stdout).toContain(name)
    for (const [code, text] of exitCodeDescriptions) {
      expect(result.stdout).toMatch(new RegExp(`^ +${code}  ${escape(text)}$`, "m"))
    }
    // One example line per CI system whose PR facts are detected.
    for (const label of Object.values(ciSystemLabels)) {
      expect(result.stdout).toMatch(new RegExp(`^  ${escape(label)} +.*datafold-ci trigger --ci-config-id 123`, "m"))
    }
    expect(result.stdout).toContain("--api-key is refused")
  })

  it("no command prints the usage on stderr and exits 2", async () => {
    const result = await runCli([])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr).toContain("Usage:")
    expect(result.stderr).toContain("No command given")
  })

  it("--version prints the package version, bundled and from the sources (`npm run datafold-ci`)", async () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }
    for (const launcher of ["bundle", "tsx"] as const) {
      const result = await runCli(["--version"], { launcher })
      expect(result.code).toBe(0)
      expect(result.stdout).toBe(`${pkg.version}\n`)
    }
  })
})
