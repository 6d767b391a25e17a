/**
 * The lines users already have (issue 24, item 6), in-process against the local server:
 * the SDK's `ci trigger` / `ci submit` spelling, the CI's merge commit given as
 * `--commit-sha`, messages that name the flag, empty values however spelled, annotation
 * titles that name the command, the upload confirmed before the wait's outcome, and
 * `--warn-only` on the post-upload check.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { makeTarget, type TargetFixture } from "../support/dbtTarget.ts"
import { API_KEY, emptyDir, factFlags, onlyJson, PR_SHA, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

const MERGE_SHA = "9999999999999999999999999999999999999999"

const servers: Array<LocalDatafoldServer> = []
const serverWith = async (options: Parameters<typeof startLocalDatafoldServer>[0] = {}) => {
  const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], ...options })
  servers.push(own)
  return own
}
let fixture: TargetFixture

beforeAll(() => {
  fixture = makeTarget()
})

afterAll(async () => {
  await Promise.all(servers.map((own) => own.close()))
  fixture?.remove()
  removeTempDirs()
})

const envFor = (target: LocalDatafoldServer, extra: Readonly<Record<string, string>> = {}) => ({
  DATAFOLD_API_KEY: API_KEY,
  DATAFOLD_HOST: target.url,
  ...extra
})

/** A GitLab merged-results pipeline: CI_COMMIT_SHA is the merge, the source branch SHA the MR head. */
const gitlabMergedResults = {
  GITLAB_CI: "true",
  CI_MERGE_REQUEST_IID: "45",
  CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature",
  CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
  CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: PR_SHA,
  CI_COMMIT_SHA: MERGE_SHA,
  CI_COMMIT_REF_NAME: "feature"
}

const check = ["dbt", "check-post-upload-dbt-artifacts", "--ci-config-id", "7", "--run-type", "pull_request"]
const dryUpload = ["dbt", "upload", "--ci-config-id", "7", "--run-type", "pull_request", "--dry-run", "--json"]

describe("the SDK's spellings", () => {
  it("`ci trigger` and `ci submit` work as the SDK spells them, diffs from a heredoc on stdin", async () => {
    const server = await serverWith()
    const triggered = await runMain(["ci", "trigger", "--ci-config-id", "7", ...factFlags], { env: envFor(server) })
    expect(triggered.code, triggered.stderr).toBe(0)
    const heredoc = `[{"prod": "db.prod.orders", "pr": "db.pr_45.orders", "pk": ["id"]}]\n`
    const submitted = await runMain(["ci", "submit", "--ci-config-id", "7", "--pr-num", "45"], {
      env: envFor(server),
      stdin: heredoc
    })
    expect(submitted.code, submitted.stderr).toBe(0)
    expect(server.requests().map((request) => request.endpoint)).toEqual(["trigger", "upload"])
  })
})

describe("the CI's merge commit given as --commit-sha", () => {
  it("GitLab merged results: the post-upload check asks about the MR head and warns once, naming both", async () => {
    const server = await serverWith()
    const result = await runMain(
      [...check, "--branch", "feature", "--commit-sha", MERGE_SHA, "--warn-only", "--json"],
      {
        env: envFor(server, gitlabMergedResults),
        cwd: emptyDir()
      }
    )
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ commit_sha: PR_SHA })
    const warnings = result.stderr.split("\n").filter((line) => line.includes("merge commit"))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain(MERGE_SHA)
    expect(warnings[0]).toContain(PR_SHA)
    expect(warnings[0]).toContain("--exact-commit")
  })

  it("--exact-commit sends the commit as given", async () => {
    const server = await serverWith()
    const result = await runMain([
      ...dryUpload,
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      MERGE_SHA,
      "--exact-commit"
    ], {
      env: envFor(server, gitlabMergedResults)
    })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ fields: { commit_sha: MERGE_SHA } })
    expect(result.stderr).not.toContain("merge commit")
  })

  it("GitHub: an explicit --commit-sha $GITHUB_SHA on refs/pull/N/merge sends the PR head, with the warning", async () => {
    const server = await serverWith()
    const dir = emptyDir()
    const event = join(dir, "event.json")
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: { number: 45, head: { sha: PR_SHA, ref: "feature" }, base: { sha: MERGE_SHA, ref: "main" } }
      })
    )
    const env = envFor(server, {
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: "pull_request",
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: "refs/pull/45/merge",
      GITHUB_SHA: MERGE_SHA,
      GITHUB_HEAD_REF: "feature",
      GITHUB_BASE_REF: "main"
    })
    const result = await runMain([...dryUpload, "--target-folder", fixture.dir, "--commit-sha", MERGE_SHA], { env })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ fields: { commit_sha: PR_SHA } })
    expect(result.stderr).toMatch(/--commit-sha 9{40} is the CI's merge commit \(GITHUB_SHA/)
  })
})

describe("messages name flags", () => {
  it("--commit-sha false names the flag, and on a push build says leaving it out uses the pushed commit", async () => {
    const server = await serverWith()
    const result = await runMain([...dryUpload, "--target-folder", fixture.dir, "--commit-sha", "false"], {
      env: envFor(server, { GITHUB_ACTIONS: "true", GITHUB_EVENT_NAME: "push" })
    })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--commit-sha "false" is not a full commit SHA')
    expect(result.stderr).toContain("leaving --commit-sha out uses the pushed commit")
    expect(result.stderr).not.toContain("commitSha")
  })

  it("--run-type prod and a missing --run-type name --run-type; --pr-num '{{' is quoted, not garbled", async () => {
    const server = await serverWith()
    const prod = await runMain(["dbt", "upload", "--ci-config-id", "7", "--run-type", "prod"], { env: envFor(server) })
    expect(prod.code).toBe(2)
    expect(prod.stderr).toContain('--run-type "prod" is invalid: it is production or pull_request')
    const missing = await runMain(["dbt", "upload", "--ci-config-id", "7"], { env: envFor(server) })
    expect(missing.stderr).toContain("--run-type is missing")
    expect(missing.stderr).not.toContain("runType")
    const braces = await runMain(["trigger", "--ci-config-id", "7", "--pr-num", "{{"], { env: envFor(server) })
    expect(braces.code).toBe(2)
    expect(braces.stderr).toContain('--pr-num "{{" is invalid')
    expect(server.requests()).toEqual([])
  })
})

describe("an empty value", () => {
  it("reads the same however it is spelled: detection is used and a warning says the value was empty", async () => {
    const server = await serverWith()
    const env = envFor(server, gitlabMergedResults)
    const base = [...dryUpload, "--target-folder", fixture.dir]
    for (const argv of [[...base, "--commit-sha"], [...base, "--commit-sha", ""], [...base, "--commit-sha="]]) {
      const result = await runMain(argv, { env })
      expect(result.code, result.stderr).toBe(0)
      expect(onlyJson(result.stdout)).toMatchObject({
        fields: { commit_sha: PR_SHA },
        commit_sha_source: "env CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"
      })
      expect(result.stderr).toContain(
        "warning: --commit-sha was given an empty value, a common sign of an unset CI variable"
      )
    }
  })
})

describe("annotations and the log", () => {
  it("a usage error is titled by the command that ran", async () => {
    const env = { GITHUB_ACTIONS: "true" }
    const upload = await runMain(["dbt", "upload", "--bogus"], { env })
    expect(upload.code).toBe(2)
    expect(upload.stderr).toMatch(/^::error title=Datafold dbt upload failed::/m)
    const submit = await runMain(["ci", "submit", "--pr-numm", "3"], { env })
    expect(submit.stderr).toMatch(/^::error title=Datafold submit failed::.*did you mean --pr-num\?/m)
    expect(submit.stderr).not.toContain("Datafold trigger failed")
  })

  it("the upload is confirmed (N of N files, then uploaded N files) before a failed run's outcome", async () => {
    const server = await serverWith({ runStatuses: ["running", "failed"] })
    const result = await runMain(
      [
        "dbt",
        "upload-and-wait",
        "--ci-config-id",
        "7",
        "--run-type",
        "pull_request",
        "--target-folder",
        fixture.dir,
        "--commit-sha",
        PR_SHA,
        "--poll-interval",
        "0.01"
      ],
      { env: envFor(server) }
    )
    expect(result.code, result.stderr).toBe(8)
    const files = Object.keys(fixture.files).length
    const all = result.stderr.indexOf(`${files} of ${files} files`)
    const uploaded = result.stderr.search(new RegExp(`uploaded ${files} files, .* in `))
    const outcome = result.stderr.search(/Datafold CI run 1 failed/)
    expect(all).toBeGreaterThanOrEqual(0)
    expect(uploaded).toBeGreaterThan(all)
    expect(outcome).toBeGreaterThan(uploaded)
    expect(result.stderr).not.toContain("is failed")
  })
})

describe("check-post-upload-dbt-artifacts --warn-only", () => {
  it("missing artifacts: exit 11, or with --warn-only a warning and the SDK's exit 0", async () => {
    const server = await serverWith()
    const argv = [...check, "--branch", "feature", "--commit-sha", PR_SHA]
    const strict = await runMain(argv, { env: envFor(server) })
    expect(strict.code).toBe(11)
    const lenient = await runMain([...argv, "--warn-only"], { env: envFor(server) })
    expect(lenient.code, lenient.stderr).toBe(0)
    expect(lenient.stderr).toMatch(/warn.*Datafold has no pull_request dbt artifacts.*--warn-only: exit 0/)
    expect(lenient.stdout).toContain("does not have")
  })
})
