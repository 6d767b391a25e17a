/**
 * The `datafold-ci` package's one file: `npm run build:cli` bundles `src/bin/datafold-ci.ts` into plain
 * JavaScript, which must run with node alone (no TypeScript loader) against the local server.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, factFlags, onlyJson, root, runCli } from "./support/runCli.ts"

let server: LocalDatafoldServer

beforeAll(async () => {
  execFileSync("npm", ["run", "--silent", "build:cli"], { cwd: root, stdio: "pipe" })
  server = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
}, 120_000)

afterAll(async () => {
  await server?.close()
})

describe("packages/datafold-ci/dist/datafold-ci.js (built, run with plain node)", { timeout: 30_000 }, () => {
  it("is a node script, not TypeScript", () => {
    const bundle = readFileSync(join(root, "packages/datafold-ci/dist/datafold-ci.js"), "utf8")
    expect(bundle.startsWith("#!/usr/bin/env node\n")).toBe(true)
  })

  it("triggers a run and exits 0; a wrong key (403) exits 3", async () => {
    const env = { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url }
    const args = ["trigger", "--ci-config-id", "7", ...factFlags, "--json"]
    const ok = await runCli(args, { env, launcher: "bundle" })
    expect(ok.code).toBe(0)
    expect(onlyJson(ok.stdout)).toMatchObject({ ok: true, ci_run_id: 1, run_id: 100001 })

    const denied = await runCli(args, {
      env: { ...env, DATAFOLD_API_KEY: "dfk_wrong_key_also_never_printed" },
      launcher: "bundle"
    })
    expect(denied.code).toBe(3)
    expect(onlyJson(denied.stdout)).toMatchObject({ ok: false, error: { _tag: "DatafoldAuthError", status: 403 } })
    expect(server.requests()).toHaveLength(2)
  })
})
