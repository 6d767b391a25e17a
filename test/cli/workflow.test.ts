/**
 * The whole Datafold CI workflow through the CLI, in-process against the local server:
 * `trigger`, `submit`, `trigger --diffs` and `runs`, with every exit code and `--json`
 * shape, and the rough edges a new user meets first.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, BASE_SHA, emptyDir, factFlags, onlyJson, PR_SHA, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

afterAll(removeTempDirs)

let server: LocalDatafoldServer
beforeEach(async () => {
  server = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
})
afterEach(() => server.close())

const env = (extra: Record<string, string> = {}) => ({ DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url, ...extra })
const diffs = [{ prod: "analytics.prod.orders", pr: "analytics.pr_45.orders", pk: ["id"] }]
const diffsFile = (content: unknown = diffs): string => {
  const file = join(emptyDir(), "diffs.json")
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content))
  return file
}
const triggerRun = () => runMain(["trigger", "--ci-config-id", "7", ...factFlags], { env: env() })
const uploads = () => server.requests().filter((request) => request.endpoint === "upload")

describe("datafold-ci submit", () => {
  it("uploads the diffs file to the waiting run and says which id is which", async () => {
    await triggerRun()
    const result = await runMain(["submit", "--ci-config-id", "7", "--pr-num", "45", "--diffs", diffsFile()], {
      env: env()
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Attached 1 diff to Datafold CI run 1 (diff run 100001).")
    expect(server.uploads()).toMatchObject([{ ciConfigId: 7, prNumber: 45, diffs: [{ pk: ["id"] }] }])
  })

  it("reads stdin for --diffs - and for no --diffs; --json gives ids, counts and the PR", async () => {
    await triggerRun()
    await triggerRun()
    for (const flags of [["--diffs", "-"], []]) {
      const result = await runMain(["submit", "--ci-config-id", "7", "--pr-num", "45", "--json", ...flags], {
        env: env(),
        stdin: JSON.stringify(diffs)
      })
      expect(result.code).toBe(0)
      expect(onlyJson(result.stdout)).toMatchObject({ ok: true, ci_config_id: 7, pr_number: 45, diffs: 1 })
    }
    expect(server.uploads().map((upload) => upload.ciRunId)).toStrictEqual([2, 1])
  })

  it("finds the PR number as trigger does (the CI environment)", async () => {
    await triggerRun()
    const result = await runMain(["submit", "--ci-config-id", "7", "--diffs", diffsFile()], {
      env: env({ GITLAB_CI: "true", CI_MERGE_REQUEST_IID: "45" })
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/PR\s+#45\s+env CI_MERGE_REQUEST_IID/)
  })

  it("exit 7 with DatafoldNoRunWaitingError when no run waits: the message says to trigger first", async () => {
    const result = await runMain(
      ["submit", "--ci-config-id", "7", "--pr-num", "45", "--diffs", diffsFile(), "--json"],
      {
        env: env()
      }
    )
    expect(result.code).toBe(7)
    const error = onlyJson(result.stdout)["error"] as Record<string, unknown>
    expect(error).toMatchObject({ _tag: "DatafoldNoRunWaitingError", ciConfigId: 7, prNumber: 45, status: 404 })
    expect(result.stderr).toContain("Trigger a run first")
  })

  it("exit 2 for diffs it cannot use, before sending: missing file, not JSON, not an array, bad fields, a terminal", async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string, string]> = [
      [["--diffs", join(emptyDir(), "nope.json")], "DiffsFileError", "the file does not exist"],
      [["--diffs", diffsFile("{oops")], "DiffsFileError", "it is not JSON"],
      [["--diffs", diffsFile({ prod: "a" })], "DiffsFileError", "not an array"],
      [["--diffs", diffsFile([{ prod: " ", pr: "b", pk: ["id", "id"] }])], "DatafoldInputError", "diffs.0.prod"],
      [["--diffs", diffsFile([])], "DatafoldInputError", "at least one diff"],
      [[], "DiffsFileError", "stdin is a terminal"]
    ]
    for (const [flags, tag, text] of cases) {
      const result = await runMain(["submit", "--ci-config-id", "7", "--pr-num", "45", "--json", ...flags], {
        env: env()
      })
      expect(result.code).toBe(2)
      const error = onlyJson(result.stdout)["error"] as Record<string, unknown>
      expect(error["_tag"]).toBe(tag)
      expect(String(error["message"])).toContain(text)
    }
    expect(server.requests()).toHaveLength(0)
  })

  it("--dry-run prints the upload and sends nothing, even without DATAFOLD_API_KEY (with a warning)", async () => {
    const result = await runMain([
      "submit",
      "--ci-config-id",
      "7",
      "--pr-num",
      "45",
      "--diffs",
      diffsFile(),
      "--dry-run"
    ], {
      env: { DATAFOLD_HOST: server.url }
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`POST ${server.url}/api/v1/ci/7/45`)
    expect(result.stdout).toContain('"include_columns":[]')
    expect(result.stderr).toContain("DATAFOLD_API_KEY is not set")
    expect(server.requests()).toHaveLength(0)
  })
})

describe("datafold-ci trigger --diffs", () => {
  it("triggers, then uploads to that run: one exit code, both ids in --json", async () => {
    const result = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, "--diffs", diffsFile(), "--json"], {
      env: env()
    })
    expect(result.code).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({
      ok: true,
      ci_run_id: 1,
      run_id: 100_001,
      submitted: { ci_run_id: 1, run_id: 100_001, diffs: 1 }
    })
    expect(server.requests().map((request) => request.endpoint)).toStrictEqual(["trigger", "upload"])
  })

  it("waits for the run to be waiting: uploads again after 'no run waiting', within the deadline", async () => {
    server.inject(Fault.notFound(), { endpoint: "upload", times: 2 })
    const result = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, "--diffs", diffsFile()], {
      env: env()
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain("Triggered Datafold CI run 1 (diff run 100001).")
    expect(result.stdout).toContain("Attached 1 diff to Datafold CI run 1 (diff run 100001).")
    expect(uploads()).toHaveLength(3)
    expect(server.uploads()).toHaveLength(1)
  })

  it("an upload failure after the trigger is the whole command's exit code, and says the run exists", async () => {
    server.inject(Fault.serverError(502), { endpoint: "upload" })
    const result = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, "--diffs", diffsFile(), "--json"], {
      env: env()
    })
    expect(result.code).toBe(5)
    expect((onlyJson(result.stdout)["error"] as Record<string, unknown>)["_tag"]).toBe("DatafoldServerError")
    expect(result.stderr).toContain("Triggered Datafold CI run 1, but uploading the diffs to it failed")
    expect(server.runs()).toHaveLength(1)
  })

  it("bad diffs are refused before the trigger is sent", async () => {
    const result = await runMain(
      ["trigger", "--ci-config-id", "7", ...factFlags, "--diffs", diffsFile([{ pr: "x" }])],
      {
        env: env()
      }
    )
    expect(result.code).toBe(2)
    expect(server.requests()).toHaveLength(0)
  })
})

describe("datafold-ci runs", () => {
  it("prints a table: id, PR, branches, short SHAs, status, source", async () => {
    await triggerRun()
    const result = await runMain(["runs", "--ci-config-id", "7"], { env: env() })
    expect(result.code).toBe(0)
    const [header, row] = result.stdout.trimEnd().split("\n")
    expect(header).toMatch(/^ID\s+PR\s+BRANCHES\s+PR SHA\s+BASE SHA\s+STATUS\s+SOURCE$/)
    expect(row).toMatch(
      new RegExp(
        `^1\\s+#45\\s+feature/login → main\\s+${PR_SHA.slice(0, 7)}\\s+${BASE_SHA.slice(0, 7)}\\s+pending\\s+api$`
      )
    )
  })

  it("--json, and the filters reach the server", async () => {
    await triggerRun()
    const result = await runMain(
      ["runs", "--ci-config-id", "7", "--pr-sha", PR_SHA, "--pr-num", "45", "--limit", "5", "--json"],
      { env: env() }
    )
    expect(result.code).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ ok: true, ci_config_id: 7, runs: [{ id: 1, pr_num: "45" }] })
    expect(server.requests().at(-1)?.url).toBe(`/api/v1/ci/7/runs?pr_sha=${PR_SHA}&pr_num=45&limit=5`)
    const none = await runMain(["runs", "--ci-config-id", "7", "--pr-num", "99"], { env: env() })
    expect(none.stdout).toBe("No CI runs found for CI config 7.\n")
  })

  it("a bad filter value is invalid, exit 2, nothing sent", async () => {
    for (const [flag, value] of [["--limit", "0"], ["--limit", "abc"], ["--pr-num", "12abc"], ["--pr-sha", "abc"]]) {
      const result = await runMain(["runs", "--ci-config-id", "7", flag ?? "", value ?? ""], { env: env() })
      expect(result.code).toBe(2)
      expect(result.stderr).toContain(`${flag} "${value}" is invalid`)
    }
    expect(server.requests()).toHaveLength(0)
  })

  it("an unknown CI config is exit 4", async () => {
    const result = await runMain(["runs", "--ci-config-id", "8", "--json"], { env: env() })
    expect(result.code).toBe(4)
    expect((onlyJson(result.stdout)["error"] as Record<string, unknown>)["_tag"]).toBe("DatafoldNotFoundError")
  })
})

describe("rough edges", () => {
  it("trigger --dry-run works without DATAFOLD_API_KEY: sends nothing, warns that a real run needs it", async () => {
    const result = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, "--dry-run", "--json"], {
      env: { DATAFOLD_HOST: server.url }
    })
    expect(result.code).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ ok: true, dry_run: true, api_key_set: false })
    expect(result.stderr).toContain("a real run needs it")
    const real = await runMain(["trigger", "--ci-config-id", "7", ...factFlags], { env: { DATAFOLD_HOST: server.url } })
    expect(real.code).toBe(2)
    expect(server.requests()).toHaveLength(0)
  })

  it("--pr-num with a bad value says the value is invalid, not that the PR number was not found", async () => {
    const result = await runMain(["trigger", "--ci-config-id", "7", "--pr-num", "12abc", "--json"], { env: env() })
    expect(result.code).toBe(2)
    const error = onlyJson(result.stdout)["error"] as Record<string, unknown>
    expect(error["_tag"]).toBe("UsageError")
    expect(String(error["message"])).toContain('--pr-num "12abc" is invalid')
    expect(String(error["message"])).not.toContain("Could not find")
  })

  it("a GitHub push event says to run on pull_request events", async () => {
    const event = join(emptyDir(), "event.json")
    writeFileSync(event, JSON.stringify({ ref: "refs/heads/main", after: PR_SHA }))
    const result = await runMain(["trigger", "--ci-config-id", "7"], {
      env: env({ GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: "push", GITHUB_EVENT_PATH: event })
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("This workflow run is a `push` event")
    expect(result.stderr).toContain("run datafold-ci on pull_request events")
  })

  it("the step summary covers submit and runs on GitHub Actions", async () => {
    const summary = join(emptyDir(), "summary.md")
    writeFileSync(summary, "")
    const github = env({ GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary })
    await triggerRun()
    await runMain(["submit", "--ci-config-id", "7", "--pr-num", "45", "--diffs", diffsFile()], { env: github })
    await runMain(["runs", "--ci-config-id", "7"], { env: github })
    const failed = await runMain(["submit", "--ci-config-id", "7", "--pr-num", "45", "--diffs", diffsFile()], {
      env: github
    })
    expect(failed.stderr).toContain("::error title=Datafold submit failed::")
    const markdown = readFileSync(summary, "utf8")
    expect(markdown).toContain("### ✅ Datafold diffs attached to Datafold CI run 1 (diff run 100001)")
    expect(markdown).toContain("`analytics.prod.orders` vs `analytics.pr_45.orders`")
    expect(markdown).toContain("### Datafold CI runs of CI config 7")
    expect(markdown).toContain("| 1 | `#45` |")
    expect(markdown).toContain("### ❌ Datafold submit failed")
  })

  it("each command has its own --help; an option of another command is refused", async () => {
    for (const command of ["submit", "runs", "serve"]) {
      const result = await runMain([command, "--help"])
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(new RegExp(`^datafold-ci ${command}: `))
    }
    expect((await runMain(["help", "runs"])).stdout).toMatch(/^datafold-ci runs: /)
    const stray = await runMain(["runs", "--ci-config-id", "7", "--diffs", "x"], { env: env() })
    expect(stray.code).toBe(2)
    expect(stray.stderr).toContain("--diffs is not an option of `runs`")
  })
})
