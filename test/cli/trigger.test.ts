/**
 * `datafold-ci trigger` end to end: the real CLI as a child process against the local
 * Datafold server, one server per test so the children can run in parallel.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import {
  API_KEY,
  BASE_SHA,
  closedPort,
  emptyDir,
  factFlags,
  onlyJson,
  PR_SHA,
  removeTempDirs,
  runCli
} from "./support/runCli.ts"

afterAll(removeTempDirs)

/** Children start tsx, which takes seconds on a busy machine; this is a ceiling, not a measurement. */
const childTimeout = 60_000

/** Runs `body` with a fresh local server (CI config 7 exists, nothing else) and closes it. */
const withServer = async <A>(body: (server: LocalDatafoldServer) => Promise<A>): Promise<A> => {
  const server = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
  try {
    return await body(server)
  } finally {
    await server.close()
  }
}

const envFor = (server: { readonly url: string }): Record<string, string> => ({
  DATAFOLD_API_KEY: API_KEY,
  DATAFOLD_HOST: server.url
})

const trigger = (...extra: ReadonlyArray<string>) => ["trigger", "--ci-config-id", "7", ...factFlags, ...extra]

const errorOf = (stdout: string): Record<string, unknown> => {
  const json = onlyJson(stdout)
  expect(json["ok"]).toBe(false)
  const error = json["error"] as Record<string, unknown>
  expect(typeof error["message"]).toBe("string")
  return error
}

describe.concurrent("datafold-ci trigger: success", { timeout: childTimeout }, () => {
  it("prints a short human summary and sends the spec's request with the key", () =>
    withServer(async (server) => {
      const result = await runCli(trigger(), { env: envFor(server) })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain("Triggered Datafold CI run 1 (diff run 100001).")
      expect(result.stdout).toMatch(/CI config\s+7/)
      expect(result.stdout).toMatch(/PR\s+#45 feature\/login → main/)
      expect(result.stdout).toMatch(/PR head\s+0123456\n/)
      expect(result.stdout).toMatch(/base\s+fedcba9\n/)
      expect(result.stdout).toMatch(/CI system\s+none detected/)
      const requests = server.requests()
      expect(requests).toHaveLength(1)
      expect(requests[0]?.method).toBe("POST")
      expect(requests[0]?.url).toBe("/api/v1/ci/7/trigger")
      // The key was really used, so its absence from the output (checked by runCli) means something.
      expect(requests[0]?.headers["authorization"]).toBe(`Key ${API_KEY}`)
      expect(JSON.parse(requests[0]?.body ?? "")).toEqual({
        pr_number: 45,
        pr_branch: "feature/login",
        base_branch: "main",
        pr_sha: PR_SHA,
        base_sha: BASE_SHA
      })
    }))

  it("--json prints exactly one object: ok, the decoded response and what was sent", () =>
    withServer(async (server) => {
      const result = await runCli(trigger("--json"), { env: envFor(server) })
      expect(result.code).toBe(0)
      expect(onlyJson(result.stdout)).toEqual({
        ok: true,
        ci_run_id: 1,
        run_id: 100001,
        ci_config_id: 7,
        details: { pr_number: 45, pr_branch: "feature/login", base_branch: "main", pr_sha: PR_SHA, base_sha: BASE_SHA },
        ci_system: null
      })
      expect(server.runs()).toHaveLength(1)
    }))

  it("reads the config id, the obsolete key spelling and retries from the env; flags win over env", () =>
    withServer(async (server) => {
      // 503 is retried: --retries 1 must win over DATAFOLD_RETRIES=0 for this run to succeed.
      server.inject(Fault.serverError(503))
      const result = await runCli(["trigger", ...factFlags, "--host", server.url, "--retries", "1", "--json"], {
        env: {
          DATAFOLD_APIKEY: API_KEY,
          DATAFOLD_HOST: "https://wrong.invalid",
          DATAFOLD_CI_CONFIG_ID: "7",
          DATAFOLD_RETRIES: "0"
        }
      })
      expect(result.code).toBe(0)
      expect(onlyJson(result.stdout)["ci_run_id"]).toBe(1)
      expect(server.requests().map((request) => request.url)).toEqual(["/api/v1/ci/7/trigger", "/api/v1/ci/7/trigger"])
    }))
})

describe.concurrent("datafold-ci trigger: every failure exits with its code", { timeout: childTimeout }, () => {
  it("401 → 3 (DatafoldAuthError)", () =>
    withServer(async (server) => {
      server.inject(Fault.unauthorized())
      const result = await runCli(trigger("--json"), { env: envFor(server) })
      expect(result.code).toBe(3)
      const error = errorOf(result.stdout)
      expect(error).toMatchObject({ _tag: "DatafoldAuthError", status: 401, detail: "Not authenticated" })
      expect(result.stderr).toContain("DATAFOLD_API_KEY")
    }))

  it("unknown CI config (404) → 4 (DatafoldNotFoundError)", () =>
    withServer(async (server) => {
      const result = await runCli(["trigger", "--ci-config-id", "8", ...factFlags, "--json"], { env: envFor(server) })
      expect(result.code).toBe(4)
      expect(errorOf(result.stdout)).toMatchObject({
        _tag: "DatafoldNotFoundError",
        url: `${server.url}/api/v1/ci/8/trigger`
      })
    }))

  it("422 → 4 (DatafoldValidationError, with the decoded items)", () =>
    withServer(async (server) => {
      server.inject(Fault.validation())
      const result = await runCli(trigger("--json"), { env: envFor(server) })
      expect(result.code).toBe(4)
      expect(errorOf(result.stdout)).toMatchObject({
        _tag: "DatafoldValidationError",
        detail: [{ loc: ["body", "pr_sha"], msg: "Field required", type: "missing" }]
      })
    }))

  it("500 with --retries 0 → 5 (DatafoldServerError), human message on stderr", () =>
    withServer(async (server) => {
      server.inject(Fault.serverError(500))
      const result = await runCli(trigger("--retries", "0"), { env: envFor(server) })
      expect(result.code).toBe(5)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("Datafold answered 500")
      expect(server.requests()).toHaveLength(1)
    }))

  it("a closed port → 5 (DatafoldNetworkError)", async () => {
    const port = await closedPort()
    const result = await runCli(trigger("--retries", "0", "--json"), {
      env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: `http://127.0.0.1:${port}` }
    })
    expect(result.code).toBe(5)
    expect(errorOf(result.stdout)).toMatchObject({ _tag: "DatafoldNetworkError", reason: "ConnectionRefused" })
  })

  it("a malformed body → 6 (DatafoldResponseError)", () =>
    withServer(async (server) => {
      server.inject(Fault.malformedBody())
      const result = await runCli(trigger("--json"), { env: envFor(server) })
      expect(result.code).toBe(6)
      expect(errorOf(result.stdout)).toMatchObject({ _tag: "DatafoldResponseError", status: 200 })
    }))

  it("a short SHA → 2 (DatafoldInputError), and nothing reaches the server", () =>
    withServer(async (server) => {
      const args = [
        "trigger",
        "--ci-config-id",
        "7",
        ...factFlags.slice(0, 6),
        "--pr-sha",
        "0123456",
        "--base-sha",
        BASE_SHA,
        "--json"
      ]
      const result = await runCli(args, { env: envFor(server) })
      expect(result.code).toBe(2)
      const error = errorOf(result.stdout)
      expect(error["_tag"]).toBe("DatafoldInputError")
      expect(error["issues"]).toEqual([expect.objectContaining({ field: "pr_sha" })])
      expect(server.requests()).toHaveLength(0)
    }))

  it("no API key → 2 (SettingsError naming DATAFOLD_API_KEY), nothing sent", () =>
    withServer(async (server) => {
      const result = await runCli(trigger("--json"), { env: { DATAFOLD_HOST: server.url } })
      expect(result.code).toBe(2)
      const error = errorOf(result.stdout)
      expect(error).toMatchObject({
        _tag: "SettingsError",
        issues: [expect.objectContaining({ setting: "DATAFOLD_API_KEY" })]
      })
      expect(result.stderr).toContain("DATAFOLD_API_KEY is not set")
      expect(server.requests()).toHaveLength(0)
    }))

  it("--api-key → 2 with a pointer to the env var; the key given to it is not echoed", () =>
    withServer(async (server) => {
      const result = await runCli(trigger("--api-key", API_KEY), { env: envFor(server) })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain("--api-key is not accepted")
      expect(result.stderr).toContain("DATAFOLD_API_KEY")
      expect(server.requests()).toHaveLength(0)
    }))

  it("a PR fact that cannot be found (no CI, no git) → 2, naming the fact and its flag", () =>
    withServer(async (server) => {
      const result = await runCli([
        "trigger",
        "--ci-config-id",
        "7",
        "--pr-num",
        "45",
        "--base-branch",
        "main",
        "--json"
      ], {
        env: envFor(server),
        cwd: emptyDir()
      })
      expect(result.code).toBe(2)
      expect(errorOf(result.stdout)).toMatchObject({
        _tag: "MissingPrFactError",
        fact: "prBranch",
        flag: "--pr-branch"
      })
      expect(server.requests()).toHaveLength(0)
    }))
})

describe.concurrent("datafold-ci trigger --dry-run", { timeout: childTimeout }, () => {
  it("prints method, URL, redacted headers, body and each value's source; sends nothing", () =>
    withServer(async (server) => {
      const result = await runCli(["trigger", ...factFlags, "--dry-run"], {
        env: { ...envFor(server), DATAFOLD_CI_CONFIG_ID: "7" }
      })
      expect(result.code).toBe(0)
      expect(server.requests()).toHaveLength(0)
      expect(result.stdout).toContain("nothing was sent")
      expect(result.stdout).toContain(`POST ${server.url}/api/v1/ci/7/trigger`)
      expect(result.stdout).toContain("authorization: Key <redacted>")
      expect(result.stdout).toContain(`"pr_sha":"${PR_SHA}"`)
      expect(result.stdout).toMatch(/ci_config_id\s+7\s+env DATAFOLD_CI_CONFIG_ID/)
      expect(result.stdout).toMatch(/pr_number\s+45\s+flag --pr-num/)
      expect(result.stdout).toMatch(/host\s+http:\/\/127\.0\.0\.1:\d+\s+env DATAFOLD_HOST/)
    }))

  it("--json: one object with the request and the sources; sends nothing", () =>
    withServer(async (server) => {
      const result = await runCli(["trigger", "--ci-config-id", "7", ...factFlags, "--dry-run", "--json"], {
        env: envFor(server)
      })
      expect(result.code).toBe(0)
      expect(server.requests()).toHaveLength(0)
      const json = onlyJson(result.stdout)
      expect(json).toMatchObject({
        ok: true,
        dry_run: true,
        request: {
          method: "POST",
          url: `${server.url}/api/v1/ci/7/trigger`,
          headers: { authorization: "Key <redacted>" },
          body: { pr_number: 45, pr_branch: "feature/login", base_branch: "main", pr_sha: PR_SHA, base_sha: BASE_SHA }
        },
        sources: {
          ci_config_id: "flag --ci-config-id",
          pr_number: "flag --pr-num",
          pr_branch: "flag --pr-branch",
          base_branch: "flag --base-branch",
          pr_sha: "flag --pr-sha",
          base_sha: "flag --base-sha",
          host: "env DATAFOLD_HOST"
        }
      })
    }))
})
