/**
 * `datafold-ci doctor` against the local server on loopback: a good key (every check ✔, the
 * organization named, exit 0), a wrong key, a closed port, a dbt project without a manifest
 * or with JSON that is not one, GitHub Actions facts with their sources and the merge
 * commit replaced, `--json`'s shape, the step summary, and the key never printed (runMain
 * rejects any output holding it, even a server's echo).
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, emptyDir, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

const servers: Array<LocalDatafoldServer> = []
afterAll(async () => {
  await Promise.all(servers.map((own) => own.close()))
  removeTempDirs()
})

const server = async (organizationName = "Acme Data") => {
  const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], dataDiffs: { organizationName } })
  servers.push(own)
  return own
}

/** A port nothing listens on: bound, then closed. */
const closedPort = (): Promise<number> =>
  new Promise((done, failed) => {
    const probe = createServer()
    probe.once("error", failed)
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      const port = typeof address === "object" && address !== null ? address.port : 0
      probe.close(() => done(port))
    })
  })

interface JsonCheck {
  readonly name: string
  readonly ok: boolean
  readonly detail: string
  readonly fix: string | null
}

const checksOf = (stdout: string): { ok: boolean; checks: ReadonlyArray<JsonCheck> } =>
  JSON.parse(stdout) as { ok: boolean; checks: ReadonlyArray<JsonCheck> }

const line = (stdout: string, name: string): string =>
  stdout.split("\n").find((text) => text.slice(2).startsWith(`${name}:`)) ?? ""

const HEAD_SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
const BASE_SHA = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"
const MERGE_SHA = "1111111111111111111111111111111111111111"

const githubEnv = (dir: string): Record<string, string> => {
  const eventPath = join(dir, "event.json")
  writeFileSync(
    eventPath,
    JSON.stringify({
      number: 77,
      pull_request: { number: 77, head: { ref: "feature/gh", sha: HEAD_SHA }, base: { ref: "main", sha: BASE_SHA } }
    })
  )
  const summary = join(dir, "summary.md")
  writeFileSync(summary, "")
  return {
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REF: "refs/pull/77/merge",
    GITHUB_HEAD_REF: "feature/gh",
    GITHUB_BASE_REF: "main",
    GITHUB_STEP_SUMMARY: summary
  }
}

describe.concurrent("datafold-ci doctor", { timeout: 60_000 }, () => {
  it("a good key: every check ✔, the organization named, the CI config found, exit 0", async () => {
    const own = await server()
    const result = await runMain(["doctor", "--ci-config-id", "7"], {
      env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url }
    })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(line(result.stdout, "API key")).toBe(`✔ API key: accepted: organization "Acme Data"`)
    expect(line(result.stdout, "host reachable")).toMatch(/^✔ /)
    expect(line(result.stdout, "CI config")).toMatch(/^✔ CI config: 7 exists/)
    expect(result.stdout).not.toContain("✘")
    expect(result.stdout).toMatch(/all checks pass\n$/)
  })

  it("a wrong key: ✘ API key with the fix, exit 2; the CI config is not judged on it", async () => {
    const own = await server()
    const result = await runMain(["doctor", "--ci-config-id", "7"], {
      env: { DATAFOLD_API_KEY: "dfk_wrong_key_123456", DATAFOLD_HOST: own.url }
    })
    expect(result.code).toBe(2)
    expect(line(result.stdout, "API key")).toMatch(/^✘ API key: not accepted \(HTTP 40[13]\)$/)
    expect(result.stdout).toMatch(
      /API key: .*\n {4}fix: Put a current key for this Datafold instance in DATAFOLD_API_KEY/
    )
    expect(line(result.stdout, "host reachable")).toMatch(/^✔ /)
    expect(line(result.stdout, "CI config")).toBe("✘ CI config: not checked: the key was not accepted")
  })

  it("an unknown CI config id: ✘ CI config (404) while the key is ✔", async () => {
    const own = await server()
    const result = await runMain(["doctor", "--json"], {
      env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url, DATAFOLD_CI_CONFIG_ID: "99" }
    })
    expect(result.code).toBe(2)
    const { checks } = checksOf(result.stdout)
    expect(checks.find((check) => check.name === "API key")?.ok).toBe(true)
    const config = checks.find((check) => check.name === "CI config")
    expect(config).toMatchObject({ ok: false, detail: "no CI config 99 (HTTP 404)" })
    expect(config?.fix).toMatch(/Settings → CI/)
  })

  it("a closed port on 127.0.0.1: ✘ host reachable (connection refused), the key not judged wrong", async () => {
    const port = await closedPort()
    const result = await runMain(["doctor", "--host", `http://127.0.0.1:${port}`], {
      env: { DATAFOLD_API_KEY: API_KEY }
    })
    expect(result.code).toBe(2)
    expect(line(result.stdout, "host reachable")).toMatch(/^✘ host reachable: .*connection refused/)
    expect(result.stdout).toMatch(/host reachable: .*\n {4}fix: Nothing answers at that address/)
    expect(line(result.stdout, "API key")).toBe("✘ API key: not checked: the host could not be reached")
    // Without an id the CI config is skipped, not failed; every check still ran.
    expect(line(result.stdout, "CI config")).toMatch(/^✔ CI config: skipped: give --ci-config-id/)
    expect(line(result.stdout, "CI system")).not.toBe("")
  })

  it("a missing key: ✘ API key says to set DATAFOLD_API_KEY; reachability is still checked", async () => {
    const own = await server()
    const result = await runMain(["doctor"], { env: { DATAFOLD_HOST: own.url } })
    expect(result.code).toBe(2)
    expect(line(result.stdout, "API key")).toBe("✘ API key: DATAFOLD_API_KEY is not set")
    expect(line(result.stdout, "host reachable")).toMatch(/^✔ /)
  })

  it("a dbt project without target/manifest.json: ✘ dbt manifest with how to build it", async () => {
    const own = await server()
    const dir = emptyDir()
    writeFileSync(join(dir, "dbt_project.yml"), "name: shop\n")
    const result = await runMain(["doctor"], { env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url }, cwd: dir })
    expect(result.code).toBe(2)
    expect(line(result.stdout, "dbt manifest")).toBe("✘ dbt manifest: target/manifest.json not found")
    expect(result.stdout).toMatch(/dbt manifest: .*\n {4}fix: Build the project first \(dbt compile/)
  })

  it("--target-folder with JSON that is not a manifest: ✘; a real manifest's start: ✔", async () => {
    const own = await server()
    const dir = emptyDir()
    mkdirSync(join(dir, "out"))
    writeFileSync(join(dir, "out", "manifest.json"), JSON.stringify({ results: [] }))
    const env = { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url }
    const bad = await runMain(["doctor", "--target-folder", "out"], { env, cwd: dir })
    expect(line(bad.stdout, "dbt manifest")).toMatch(
      /^✘ dbt manifest: out\/manifest\.json is not a dbt manifest: it is JSON, but has no "metadata"/
    )
    writeFileSync(join(dir, "out", "manifest.json"), JSON.stringify({ metadata: {}, nodes: {} }))
    const good = await runMain(["doctor", "--target-folder", "out"], { env, cwd: dir })
    expect(line(good.stdout, "dbt manifest")).toBe("✔ dbt manifest: out/manifest.json is a dbt manifest")
    // Outside a dbt project and without --target-folder, the check is skipped.
    const none = await runMain(["doctor"], { env, cwd: emptyDir() })
    expect(line(none.stdout, "dbt manifest")).toMatch(/^✔ dbt manifest: skipped: no dbt_project\.yml/)
  })

  it("on GitHub Actions: the facts with their sources, the merge commit and what is sent instead, the step summary", async () => {
    const own = await server()
    const dir = emptyDir()
    const env = { ...githubEnv(dir), DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url }
    const result = await runMain(["doctor", "--ci-config-id", "7"], { env, cwd: dir })
    expect(result.code, result.stdout).toBe(0)
    expect(line(result.stdout, "CI system")).toBe("✔ CI system: GitHub Actions detected")
    expect(result.stdout).toMatch(/^ {4}PR number: 77 \(from GitHub event file \.pull_request\.number\)$/m)
    expect(result.stdout).toMatch(new RegExp(`^ {4}PR head SHA: ${HEAD_SHA} \\(from GitHub event file`, "m"))
    expect(line(result.stdout, "merge commit")).toBe(
      `✔ merge commit: the CI checked out merge commit ${MERGE_SHA} (GITHUB_SHA (GITHUB_REF=refs/pull/77/merge)); ` +
        `sent instead: ${HEAD_SHA} (from GitHub event file .pull_request.head.sha)`
    )
    const summary = readFileSync(join(dir, "summary.md"), "utf8")
    expect(summary).toMatch(/^### ✅ Datafold doctor: all checks pass/)
    expect(summary).toContain('- ✔ **API key**: accepted: organization "Acme Data"')
    expect(summary).toContain("**merge commit**")
  })

  it("outside CI, missing PR facts are a warning, not a failure", async () => {
    const own = await server()
    const result = await runMain(["doctor"], { env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url } })
    expect(result.code, result.stdout).toBe(0)
    expect(line(result.stdout, "CI system")).toMatch(
      /^✔ CI system: no CI system detected \(a local run\); warning: Could not find the PR number/
    )
  })

  it("--json: one object {ok, checks:[{name, ok, detail, fix}]}", async () => {
    const own = await server()
    const result = await runMain(["doctor", "--json", "--ci-config-id", "7"], {
      env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url }
    })
    expect(result.code).toBe(0)
    expect(result.stdout.trimEnd().split("\n")).toHaveLength(1)
    const parsed = checksOf(result.stdout)
    expect(parsed.ok).toBe(true)
    expect(parsed.checks.map((check) => check.name)).toEqual([
      "settings",
      "host reachable",
      "API key",
      "CI config",
      "dbt manifest",
      "CI system",
      "merge commit"
    ])
    for (const check of parsed.checks) {
      expect(Object.keys(check).sort()).toEqual(["detail", "fix", "name", "ok"])
      expect(typeof check.detail).toBe("string")
    }
  })

  it("a server that echoes the key (as the organization's name): the key never printed, in text or JSON", async () => {
    const own = await server(`org ${API_KEY}`)
    for (const extra of [[], ["--json"]]) {
      // runMain itself rejects when the key appears on stdout or stderr.
      const result = await runMain(["doctor", ...extra], { env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url } })
      expect(result.stdout).toMatch(/[<[]redacted[>\]]/)
    }
  })

  it("a bad --timeout is a ✘ settings item, and the other checks still run", async () => {
    const own = await server()
    const result = await runMain(["doctor", "--timeout", "soon"], {
      env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: own.url }
    })
    expect(result.code).toBe(2)
    expect(line(result.stdout, "settings")).toMatch(/^✘ settings: --timeout must be a positive number/)
    expect(line(result.stdout, "API key")).toMatch(/^✔ API key: accepted/)
  })
})
