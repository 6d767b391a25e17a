/**
 * `datafold-ci trigger` on GitHub Actions: facts from the event file (the PR head, never
 * GITHUB_SHA's merge commit), the step summary, and the `::error` annotation. The escaping
 * rules are checked in-process.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { errorAnnotation, escapeCommandData, escapeCommandProperty } from "../../src/cli/shell/workflowCommands.ts"
import { Fault, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, emptyDir, onlyJson, removeTempDirs, runCli } from "./support/runCli.ts"

afterAll(removeTempDirs)

const HEAD_SHA = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
const BASE_SHA = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"
const MERGE_SHA = "1111111111111111111111111111111111111111"

/** A runner's environment for a `pull_request` event, with the event file and summary file in `dir`. */
const githubEnv = (dir: string, host: string): Record<string, string> => {
  const eventPath = join(dir, "event.json")
  writeFileSync(
    eventPath,
    JSON.stringify({
      action: "synchronize",
      number: 77,
      pull_request: {
        number: 77,
        head: { ref: "feature/gh", sha: HEAD_SHA },
        base: { ref: "main", sha: BASE_SHA }
      }
    })
  )
  const summaryPath = join(dir, "summary.md")
  writeFileSync(summaryPath, "")
  return {
    DATAFOLD_API_KEY: API_KEY,
    DATAFOLD_HOST: host,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: MERGE_SHA,
    GITHUB_REF: "refs/pull/77/merge",
    GITHUB_HEAD_REF: "feature/gh",
    GITHUB_BASE_REF: "main",
    GITHUB_STEP_SUMMARY: summaryPath
  }
}

describe.concurrent("datafold-ci trigger on GitHub Actions", { timeout: 60_000 }, () => {
  it("sends the PR head SHA from the event file, not GITHUB_SHA, and writes a Markdown summary", async () => {
    const server = await startLocalDatafoldServer({ apiKey: API_KEY })
    try {
      const dir = emptyDir()
      const env = githubEnv(dir, server.url)
      const result = await runCli(["trigger", "--ci-config-id", "7"], { env, cwd: dir })
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/CI system\s+GitHub Actions/)
      const [request] = server.requests()
      expect(JSON.parse(request?.body ?? "")).toEqual({
        pr_number: 77,
        pr_branch: "feature/gh",
        base_branch: "main",
        pr_sha: HEAD_SHA,
        base_sha: BASE_SHA
      })
      expect(request?.body).not.toContain(MERGE_SHA)
      const summary = readFileSync(env["GITHUB_STEP_SUMMARY"] ?? "", "utf8")
      expect(summary).toContain("### ✅ Datafold CI run triggered")
      expect(summary).toContain("| CI run id | `1` |")
      expect(summary).toContain("#77 `feature/gh` → `main`")
      expect(summary).toContain("`a1b2c3d`")
      expect(result.stderr).not.toContain("::error")
    } finally {
      await server.close()
    }
  })

  it("on failure prints ::error on stderr, keeps stdout one JSON object, and summarises the failure", async () => {
    const server = await startLocalDatafoldServer({ apiKey: API_KEY })
    try {
      server.inject(Fault.unauthorized())
      const dir = emptyDir()
      const env = githubEnv(dir, server.url)
      const result = await runCli(["trigger", "--ci-config-id", "7", "--json"], { env, cwd: dir })
      expect(result.code).toBe(3)
      expect(onlyJson(result.stdout)).toMatchObject({ ok: false, error: { _tag: "DatafoldAuthError" } })
      expect(result.stderr).toMatch(
        /^::error title=Datafold trigger failed::Datafold did not accept \(401 Unauthorized\)/m
      )
      const summary = readFileSync(env["GITHUB_STEP_SUMMARY"] ?? "", "utf8")
      expect(summary).toContain("### ❌ Datafold trigger failed")
      expect(summary).toContain("`DatafoldAuthError`, exit code 3")
    } finally {
      await server.close()
    }
  })

  it("a multi-line failure becomes one escaped ::error line (a push event has no PR number)", async () => {
    const dir = emptyDir()
    const env = githubEnv(dir, "http://127.0.0.1:9")
    writeFileSync(env["GITHUB_EVENT_PATH"] ?? "", JSON.stringify({ ref: "refs/heads/main", after: HEAD_SHA }))
    const result = await runCli(["trigger", "--ci-config-id", "7"], {
      env: { ...env, GITHUB_EVENT_NAME: "push" },
      cwd: dir
    })
    expect(result.code).toBe(2)
    const annotation = result.stderr.split("\n").find((line) => line.startsWith("::error"))
    expect(annotation).toBeDefined()
    expect(annotation).toContain("Could not find the PR number. Tried:%0A  - flag --pr-num (not given)")
    expect(annotation).toContain("%0APass it with --pr-num.")
    expect(readFileSync(env["GITHUB_STEP_SUMMARY"] ?? "", "utf8")).toContain("`MissingPrFactError`, exit code 2")
  })
})

describe("workflow command escaping", () => {
  it("escapes %, CR and LF in the message, and also : and , in properties", () => {
    expect(escapeCommandData("100% done\r\nnext: a, b")).toBe("100%25 done%0D%0Anext: a, b")
    expect(escapeCommandProperty("a: b, 100%")).toBe("a%3A b%2C 100%25")
    expect(errorAnnotation("line one\nline two", "T: x")).toBe("::error title=T%3A x::line one%0Aline two\n")
  })
})
