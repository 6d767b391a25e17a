/**
 * The `datafold-ci` package's files: `npm run build:cli` bundles `src/bin/datafold-ci.ts` into
 * plain JavaScript (an entry and the chunk files it loads), which must run with node alone
 * (no TypeScript loader) against the local server. What a trigger loads is held under a
 * size limit, and the other commands' code stays out of it.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import type { CliFile } from "../../scripts/bundles.ts"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { inject } from "vitest"
import { API_KEY, factFlags, onlyJson, runCli } from "./support/runCli.ts"

/**
 * The most a trigger may load (the entry, the chunks it imports, and the trigger
 * command's chunks), minified: 316 kB when this limit was set, from 306 kB before the dbt
 * workflow (its commands' arguments and exit codes, streamed request bodies on the wire;
 * the wait, the dbt calls and the ZIP writer are chunks a trigger does not load), then
 * 324 kB with version 0.3's shared core tables, answer-shape messages, flag suggestions
 * and retry notes (the data diffs, results and their reports are chunks a trigger does
 * not load), then 331.5 kB with the options of the five `diff` commands in the parser
 * (+2.1 kB: the parser knows every command's flags, so a stray flag is refused before
 * anything is sent; the commands themselves are a chunk a trigger does not load). Issue 12 asks for 220 kB; the README's Performance section says what stands in the way
 * (Effect's runtime and Schema alone are 184 kB minified).
 */
const TRIGGER_PATH_LIMIT_BYTES = 333_000

/**
 * Modules a trigger must not load: `@effect/platform` (the CLI sends over its own
 * `node:http` wire, not an `HttpClient`) and Effect's Stream and Channel code, which only
 * the platform's HTTP client needs.
 */
const NOT_ON_TRIGGER_PATH = [
  /node_modules\/@effect\/platform(-node|-node-shared)?\//,
  /node_modules\/effect\/dist\/esm\/(Stream|Channel|Sink)\.js$/,
  /node_modules\/effect\/dist\/esm\/internal\/(stream|channel|sink)(\/|\.js$)/
]

let server: LocalDatafoldServer
// Built once for the run as `npm run build:cli` builds it (`test/support/cliBundleSetup.ts`).
const { build, entry } = inject("cliBundle")

beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
}, 120_000)

afterAll(async () => {
  await server?.close()
})

const bytes = (files: ReadonlyArray<CliFile>): number => files.reduce((sum, file) => sum + file.bytes, 0)

/** What `serve` loads: its own chunks, then the declarative API handler it imports as the server starts. */
const servePath = (): ReadonlyArray<CliFile> => [
  ...build.commands["serve"]!,
  ...build.commands["declarativeApiHandler"]!
]

describe("packages/datafold-ci/dist (built, run with plain node)", { timeout: 30_000 }, () => {
  it("is a node script, not TypeScript", () => {
    const bundle = readFileSync(entry, "utf8")
    expect(bundle.startsWith("#!/usr/bin/env node\n")).toBe(true)
  })

  it("a trigger loads its own code only, under the size limit", () => {
    const trigger = build.commands["triggerCommand"]
    expect(trigger).toBeDefined()
    const triggerPath = [...build.startup, ...trigger!]
    expect(bytes(triggerPath)).toBeLessThanOrEqual(TRIGGER_PATH_LIMIT_BYTES)
    // The local server (the largest command) and the other commands are chunks a trigger never loads.
    const loaded = new Set(triggerPath.map((file) => file.path))
    for (const other of ["serve", "submitCommand", "runsCommand", "help"]) {
      const own = build.commands[other]!.filter((file) => !loaded.has(file.path))
      expect(own.length, other).toBeGreaterThan(0)
    }
    expect(bytes(servePath().filter((file) => !loaded.has(file.path)))).toBeGreaterThan(50_000)
  })

  it("a trigger loads neither @effect/platform nor Effect's Stream and Channel code", () => {
    const triggerPath = [...build.startup, ...build.commands["triggerCommand"]!]
    const inputs = triggerPath.flatMap((file) => file.inputs)
    // The check has something to look at: Effect itself is on the path.
    expect(inputs.some((input) => input.includes("node_modules/effect/dist/esm/Effect.js"))).toBe(true)
    expect(inputs.filter((input) => NOT_ON_TRIGGER_PATH.some((pattern) => pattern.test(input)))).toEqual([])
    // The local server, on the other hand, runs on the platform's HTTP server.
    const serveInputs = servePath().flatMap((file) => file.inputs)
    expect(serveInputs.some((input) => NOT_ON_TRIGGER_PATH[0]!.test(input))).toBe(true)
  })

  it("triggers a run and exits 0; a wrong key (403) exits 3", async () => {
    const env = { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url }
    const args = ["trigger", "--ci-config-id", "7", ...factFlags, "--json"]
    const ok = await runCli(args, { env })
    expect(ok.code).toBe(0)
    expect(onlyJson(ok.stdout)).toMatchObject({ ok: true, ci_run_id: 1, run_id: 100001 })

    const denied = await runCli(args, {
      env: { ...env, DATAFOLD_API_KEY: "dfk_wrong_key_also_never_printed" }
    })
    expect(denied.code).toBe(3)
    expect(onlyJson(denied.stdout)).toMatchObject({ ok: false, error: { _tag: "DatafoldAuthError", status: 403 } })
    expect(server.requests()).toHaveLength(2)
  })

  it("loads each other command's chunks when it runs: runs, --help, --version", async () => {
    const env = { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url }
    const runs = await runCli(["runs", "--ci-config-id", "7", "--json"], { env })
    expect(runs.code, runs.stderr).toBe(0)
    expect(onlyJson(runs.stdout)).toMatchObject({ ok: true })
    const help = await runCli(["trigger", "--help"], { env })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("--ci-config-id")
  })
})
