/**
 * `datafold-ci dbt …`, `trigger --wait` and `submit --wait` in-process against the local
 * server: the SDK's flags, the commit found (the PR head on a GitHub PR build, never
 * `GITHUB_SHA`; git in the target folder elsewhere), every wait outcome with its exit code
 * and message, the `--timeout` clash resolved, refusals before sending, the checks, the
 * JSON, progress lines and the step summary. The key is never printed (`runMain` checks).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@effect/vitest"
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { inject } from "vitest"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { makeTarget, manifestJson, type TargetFixture } from "../support/dbtTarget.ts"
import { commit, git, mergeRepository } from "./support/gitRepo.ts"
import { API_KEY, BASE_SHA, emptyDir, factFlags, onlyJson, PR_SHA, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

const MERGE_SHA = "9999999999999999999999999999999999999999"

let server: LocalDatafoldServer
let fixture: TargetFixture

/** A server per set of run statuses, so each wait test reads its own. */
const servers: Array<LocalDatafoldServer> = []
const serverWith = async (options: Parameters<typeof startLocalDatafoldServer>[0]) => {
  const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], ...options })
  servers.push(own)
  return own
}

beforeAll(async () => {
  server = await serverWith({ runStatuses: ["running", "done"] })
  fixture = makeTarget()
})

afterEach(() => server.reset())

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

const upload = ["dbt", "upload", "--ci-config-id", "7", "--run-type", "pull_request"]
const uploadProduction = ["dbt", "upload", "--ci-config-id", "7", "--run-type", "production"]
const uploadAndWait = ["dbt", "upload-and-wait", "--ci-config-id", "7", "--run-type", "pull_request"]
const fast = ["--poll-interval", "0.01"]

describe("datafold-ci dbt upload", () => {
  it("uploads ./target/ by default with the SDK's flags; --json is one object saying what was sent", async () => {
    const result = await runMain([...upload, "--commit-sha", PR_SHA, "--run-id", "12", "--json"], {
      env: envFor(server),
      cwd: fixture.parent
    })
    expect(result.code, result.stderr).toBe(0)
    const json = onlyJson(result.stdout)
    expect(json).toMatchObject({
      ok: true,
      ci_config_id: 7,
      run_type: "pull_request",
      commit_sha: PR_SHA,
      commit_sha_source: "flag --commit-sha",
      run_id: "12",
      target_folder: "./target/",
      files: Object.keys(fixture.files).length,
      skipped: [{ name: "leak.txt", reason: "LinkOutside" }]
    })
    expect(json["archive_bytes"]).toBe(server.dbtUploads()[0]!.archive.byteLength)
    expect(server.dbtUploads()[0]).toMatchObject({ commitSha: PR_SHA, runType: "pull_request", runId: "12" })
    expect(result.stderr).toContain("datafold-ci: left out leak.txt: a symbolic link to outside the folder")
  })

  it("on a GitHub Actions PR build, sends the PR head from the event file, never GITHUB_SHA", async () => {
    const dir = emptyDir()
    const event = join(dir, "event.json")
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: { number: 45, head: { ref: "feature", sha: PR_SHA }, base: { ref: "main", sha: BASE_SHA } }
      })
    )
    const result = await runMain([...upload, "--target-folder", fixture.dir, "--json"], {
      env: envFor(server, {
        GITHUB_ACTIONS: "true",
        GITHUB_EVENT_NAME: "pull_request",
        GITHUB_EVENT_PATH: event,
        GITHUB_SHA: MERGE_SHA,
        GITHUB_HEAD_REF: "feature",
        GITHUB_BASE_REF: "main"
      })
    })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({
      commit_sha: PR_SHA,
      commit_sha_source: "GitHub event file .pull_request.head.sha"
    })
    expect(server.dbtUploads().map((received) => received.commitSha)).toEqual([PR_SHA])
  })

  it("on a Jenkins 'merge with target' PR build, sends the merge's PR-side parent, not the merge", async () => {
    const repo = mergeRepository("pr-first")
    try {
      mkdirSync(join(repo.dir, "target"))
      writeFileSync(join(repo.dir, "target", "manifest.json"), manifestJson())
      const result = await runMain([...upload, "--json"], {
        env: envFor(server, {
          JENKINS_URL: "https://ci.example",
          CHANGE_ID: "12",
          CHANGE_BRANCH: "feature",
          CHANGE_TARGET: "main",
          GIT_COMMIT: repo.head
        }),
        cwd: repo.dir
      })
      expect(result.code, result.stderr).toBe(0)
      expect(onlyJson(result.stdout)).toMatchObject({ commit_sha: repo.c })
      expect(server.dbtUploads()[0]?.commitSha).toBe(repo.c)
    } finally {
      rmSync(repo.dir, { recursive: true, force: true })
    }
  })

  it("on a GitLab merged-results pipeline, sends the source branch's head, not CI_COMMIT_SHA", async () => {
    const result = await runMain([...upload, "--target-folder", fixture.dir, "--json"], {
      env: envFor(server, {
        GITLAB_CI: "true",
        CI_MERGE_REQUEST_IID: "5",
        CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature",
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
        CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: PR_SHA,
        CI_COMMIT_SHA: MERGE_SHA
      })
    })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ commit_sha: PR_SHA })
  })

  it("off a PR build, the commit is git rev-parse HEAD in the target folder", async () => {
    const repo = emptyDir()
    git(repo, "init", "-q")
    const head = commit(repo, "README.md")
    // The target folder inside the repository, as dbt writes it (./target/ by default).
    mkdirSync(join(repo, "target"))
    writeFileSync(join(repo, "target", "manifest.json"), manifestJson())
    const result = await runMain([...uploadProduction, "--json"], { env: envFor(server), cwd: repo })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ commit_sha: head, commit_sha_source: "git rev-parse HEAD" })
  })

  it("refuses before sending: no folder, no manifest.json, a bad run type, no commit anywhere; each exit 2", async () => {
    const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
      [
        [...upload, "--target-folder", join(fixture.parent, "nope"), "--commit-sha", PR_SHA],
        /target folder .*nope does not exist/
      ],
      [
        [...upload, "--target-folder", join(fixture.dir, "compiled"), "--commit-sha", PR_SHA],
        /has no manifest\.json; nothing was sent/
      ],
      [
        [
          "dbt",
          "upload",
          "--ci-config-id",
          "7",
          "--run-type",
          "nightly",
          "--target-folder",
          fixture.dir,
          "--commit-sha",
          PR_SHA
        ],
        /--run-type "nightly" is invalid: it is production or pull_request/
      ],
      [[...upload, "--target-folder", fixture.dir], /Could not find the commit the dbt artifacts were built from/]
    ]
    for (const [argv, message] of cases) {
      const result = await runMain(argv, { env: envFor(server) })
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr).toMatch(message)
    }
    expect(server.requests()).toEqual([])
  })

  it("--dry-run reads the folder and prints what would be sent, with no key needed", async () => {
    const result = await runMain([...upload, "--target-folder", fixture.dir, "--commit-sha", PR_SHA, "--dry-run"], {
      env: { DATAFOLD_HOST: server.url }
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain("Dry run: nothing was sent.")
    expect(result.stdout).toContain(`POST ${server.url}/api/v1/dbt/submit_artifacts/7`)
    expect(result.stdout).toContain(`commit_sha=${PR_SHA}`)
    expect(result.stderr).toContain("DATAFOLD_API_KEY is not set")
    expect(server.requests()).toEqual([])
  })

  it("a file whose name is not UTF-8 goes too, under its bytes, with a warning naming it", async () => {
    const target = makeTarget()
    try {
      const nameBytes = Buffer.concat([Buffer.from("compiled/caf"), Buffer.from([0xe9, 0xff]), Buffer.from(".sql")])
      writeFileSync(Buffer.concat([Buffer.from(target.dir + "/"), nameBytes]), "select 1\n")
      const result = await runMain([...upload, "--target-folder", target.dir, "--commit-sha", PR_SHA], {
        env: envFor(server)
      })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toContain("warning: the name of compiled/caf\\xE9\\xFF.sql is not UTF-8")
      const entries = server.dbtUploads()[0]?.entries ?? []
      expect(entries).toContainEqual({ name: "compiled/caf\\xE9\\xFF.sql", size: 9 })
      expect(entries).toHaveLength(Object.keys(target.files).length + 1)
    } finally {
      target.remove()
    }
  })

  it("--max-upload-size (or DATAFOLD_MAX_UPLOAD_SIZE) below the folder refuses it, saying how to raise it; above it, it goes; --concurrency checked the same way", async () => {
    const bytes = Object.values(fixture.files).reduce((sum, content) => sum + content.byteLength, 0)
    const flagged = await runMain([
      ...upload,
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      PR_SHA,
      "--max-upload-size",
      `${bytes - 1}`
    ], { env: envFor(server) })
    expect(flagged.code, flagged.stderr).not.toBe(0)
    expect(flagged.stderr).toContain(`more than the upload limit of ${bytes - 1}`)
    expect(flagged.stderr).toContain("--max-upload-size SIZE")
    expect(flagged.stderr).toContain("DATAFOLD_MAX_UPLOAD_SIZE")
    const fromEnv = await runMain([...upload, "--target-folder", fixture.dir, "--commit-sha", PR_SHA], {
      env: envFor(server, { DATAFOLD_MAX_UPLOAD_SIZE: "1KB" })
    })
    expect(fromEnv.code, fromEnv.stderr).toBe(flagged.code)
    expect(fromEnv.stderr).toContain("more than the upload limit of 1000")
    expect(server.requests()).toEqual([])
    const wrong = await runMain([...upload, "--target-folder", fixture.dir, "--max-upload-size", "lots"], {
      env: envFor(server)
    })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain(`--max-upload-size "lots" is not a size`)
    const wrongConcurrency = await runMain([...upload, "--target-folder", fixture.dir, "--concurrency", "0"], {
      env: envFor(server)
    })
    expect(wrongConcurrency.code).toBe(2)
    expect(wrongConcurrency.stderr).toContain(`--concurrency "0" is invalid: it is a whole number from 1 to 16`)
    const wrongEnv = await runMain([...upload, "--target-folder", fixture.dir], {
      env: envFor(server, { DATAFOLD_UPLOAD_CONCURRENCY: "many" })
    })
    expect(wrongEnv.code).toBe(2)
    expect(wrongEnv.stderr).toContain(`DATAFOLD_UPLOAD_CONCURRENCY "many" is invalid`)
    // The flag wins over the environment.
    const sent = await runMain([
      ...upload,
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      PR_SHA,
      "--max-upload-size",
      "1GiB",
      "--concurrency",
      "1"
    ], { env: envFor(server, { DATAFOLD_MAX_UPLOAD_SIZE: "1KB", DATAFOLD_UPLOAD_CONCURRENCY: "many" }) })
    expect(sent.code, sent.stderr).toBe(0)
    expect(server.dbtUploads()).toHaveLength(1)
  })

  it("a 413 from a proxy is exit 4, naming the status; a cut upload exit 5; neither repeated", async () => {
    server.inject(Fault.payloadTooLarge(), { endpoint: "dbtUpload" })
    const tooLarge = await runMain([...upload, "--target-folder", fixture.dir, "--commit-sha", PR_SHA], {
      env: envFor(server)
    })
    expect(tooLarge.code, tooLarge.stderr).toBe(4)
    expect(tooLarge.stderr).toContain("413")
    server.inject(Fault.cutUpload(16 * 1024), { endpoint: "dbtUpload" })
    const cut = await runMain([...upload, "--target-folder", fixture.dir, "--commit-sha", PR_SHA], {
      env: envFor(server)
    })
    expect(cut.code, cut.stderr).toBe(5)
    expect(server.requests().filter((request) => request.endpoint === "dbtUpload")).toHaveLength(2)
  })
})

describe("datafold-ci dbt upload-and-wait", () => {
  it("waits until the run is done: exit 0; the JSON has the run; a log line per status; the step summary has id, status and time", async () => {
    const summary = join(emptyDir(), "summary.md")
    const result = await runMain([
      ...uploadAndWait,
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      PR_SHA,
      ...fast,
      "--json"
    ], {
      env: envFor(server, { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary })
    })
    expect(result.code, result.stderr).toBe(0)
    const json = onlyJson(result.stdout)
    expect(json).toMatchObject({ ok: true, run: { status: "done", pr_sha: PR_SHA, source: "dbt" } })
    const runId = (json["run"] as { id: number }).id
    expect(result.stderr).toContain(`datafold-ci: Datafold CI run ${runId} is running (`)
    expect(result.stderr).toContain(`datafold-ci: Datafold CI run ${runId} is done (`)
    // In a log, one line per status, not one per look.
    expect(result.stderr.match(/is running/g)).toHaveLength(1)
    const markdown = readFileSync(summary, "utf8")
    expect(markdown).toContain(`### ✅ Datafold CI run ${runId} done`)
    expect(markdown).toMatch(/\| CI run id \| `\d+` \|/)
    expect(markdown).toMatch(/\| Status \| `done` \|/)
    expect(markdown).toMatch(/\| Elapsed \| \d+(ms|s)/)
  })

  it.each(
    [
      ["failed", ["running", "failed"], 8, /Datafold CI run \d+ \(CI config 7, PR #1, commit 0123456\) failed after/],
      ["cancelled", ["cancelled"], 9, /was cancelled after .*newer commit/]
    ] as const
  )("a run that %s: its exit code and message; the summary shows the run", async (_, statuses, code, message) => {
    const own = await serverWith({ runStatuses: statuses })
    const summary = join(emptyDir(), "summary.md")
    const result = await runMain([
      ...uploadAndWait,
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      PR_SHA,
      ...fast,
      "--json"
    ], {
      env: envFor(own, { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary })
    })
    expect(result.code, result.stderr).toBe(code)
    expect(result.stderr).toMatch(message)
    expect(onlyJson(result.stdout)).toMatchObject({ ok: false, error: { run: { status: statuses.at(-1) } } })
    expect(readFileSync(summary, "utf8")).toMatch(new RegExp(`\\| Status \\| \`${statuses.at(-1)}\` \\|`))
  })

  it("a run that never appears: exit 10, saying which commit and config", async () => {
    const own = await serverWith({ createDbtRuns: false })
    const result = await runMain([
      ...uploadAndWait,
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      PR_SHA,
      ...fast,
      "--appear-timeout",
      "0.3"
    ], {
      env: envFor(own)
    })
    expect(result.code, result.stderr).toBe(10)
    expect(result.stderr).toMatch(
      /Datafold showed no CI run for commit 0123456 in CI config 7 within/
    )
  })

  it("a run that never finishes: exit 10; --timeout is in minutes here, the SDK's meaning, and --request-timeout is per attempt", async () => {
    const own = await serverWith({ runStatuses: ["running"] })
    // 0.005 minutes: 300 ms of waiting. Were it seconds per attempt, every call would time out at 5 ms.
    const result = await runMain(
      [
        ...uploadAndWait,
        "--target-folder",
        fixture.dir,
        "--commit-sha",
        PR_SHA,
        ...fast,
        "--timeout",
        "0.005",
        "--request-timeout",
        "10"
      ],
      { env: envFor(own) }
    )
    expect(result.code, result.stderr).toBe(10)
    expect(result.stderr).toMatch(/was still "running" after \d+ms, the longest this waits/)
    expect(own.dbtUploads()).toHaveLength(1)
  })

  it("--timeout and --wait-timeout disagreeing is a usage error; elsewhere --timeout stays seconds per attempt", async () => {
    const both = await runMain([
      ...uploadAndWait,
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      PR_SHA,
      "--timeout",
      "5",
      "--wait-timeout",
      "6"
    ], {
      env: envFor(server)
    })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain("--timeout and --wait-timeout say the same thing and disagree")
    // On `dbt upload`, --timeout 0.0001 s per attempt is refused as too short (below a millisecond).
    const perAttempt = await runMain([
      ...upload,
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      PR_SHA,
      "--timeout",
      "0.0001"
    ], {
      env: envFor(server)
    })
    expect(perAttempt.code).toBe(2)
    expect(perAttempt.stderr).toContain("--timeout must be a positive number of seconds")
    expect(server.requests()).toEqual([])
  })

  it("the server going away while waiting: looked at again until the deadline, then exit 5, the network's error", async () => {
    const own = await serverWith({ runStatuses: ["running"] })
    const pending = runMain(
      [
        ...uploadAndWait,
        "--target-folder",
        fixture.dir,
        "--commit-sha",
        PR_SHA,
        "--poll-interval",
        "0.05",
        "--retries",
        "1",
        // 0.02 minutes: the wait's deadline, 1.2 s.
        "--timeout",
        "0.02"
      ],
      { env: envFor(own) }
    )
    // Closed once the run has been listed.
    for (let tries = 0; tries < 200 && own.requests().filter((r) => r.endpoint === "runs").length === 0; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    await own.close()
    const result = await pending
    expect(result.code, result.stderr).toBe(5)
    expect(result.stderr).toMatch(/could not be reached|refused/i)
    expect(result.stderr).toContain("listing the runs failed, looking again")
  })

  it("a production upload starts no run: nothing to wait for, exit 0", async () => {
    const result = await runMain(
      [
        "dbt",
        "upload-and-wait",
        "--ci-config-id",
        "7",
        "--run-type",
        "production",
        "--target-folder",
        fixture.dir,
        "--commit-sha",
        PR_SHA
      ],
      { env: envFor(server) }
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain("A production upload starts no CI run: there is nothing to wait for.")
    expect(server.requests().filter((request) => request.endpoint === "runs")).toEqual([])
  })
})

describe("trigger --wait and submit --wait", () => {
  it("trigger --wait follows the run it started to done", async () => {
    const result = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, "--wait", ...fast, "--json"], {
      env: envFor(server)
    })
    expect(result.code, result.stderr).toBe(0)
    expect(onlyJson(result.stdout)).toMatchObject({ ok: true, ci_run_id: 1, run: { id: 1, status: "done" } })
  })

  it("submit --wait follows the run the diffs went to; a failed run is exit 8", async () => {
    const own = await serverWith({ runStatuses: ["running", "failed"] })
    const diffs = JSON.stringify([{ prod: "db.prod.orders", pr: "db.pr.orders" }])
    const triggered = await runMain(["trigger", "--ci-config-id", "7", ...factFlags], { env: envFor(own) })
    expect(triggered.code, triggered.stderr).toBe(0)
    const result = await runMain(["submit", "--ci-config-id", "7", "--pr-num", "45", "--wait", ...fast], {
      env: envFor(own),
      stdin: diffs
    })
    expect(result.code, result.stderr).toBe(8)
    expect(result.stderr).toMatch(/Datafold CI run 1 .* failed after/)
  })
})

describe("the checks", () => {
  it("check-post-upload-dbt-artifacts: exit 0 once uploaded, 11 before", async () => {
    const check = [
      "dbt",
      "check-post-upload-dbt-artifacts",
      "--ci-config-id",
      "7",
      "--run-type",
      "production",
      "--branch",
      "main",
      "--commit-sha",
      PR_SHA
    ]
    const before = await runMain(check, { env: envFor(server) })
    expect(before.code, before.stderr).toBe(11)
    expect(before.stderr).toContain(
      `Datafold has no production dbt artifacts of commit 0123456 on branch main in CI config 7`
    )
    await runMain([
      "dbt",
      "upload",
      "--ci-config-id",
      "7",
      "--run-type",
      "production",
      "--target-folder",
      fixture.dir,
      "--commit-sha",
      PR_SHA
    ], {
      env: envFor(server)
    })
    const after = await runMain([...check, "--json"], { env: envFor(server) })
    expect(after.code, after.stderr).toBe(0)
    expect(onlyJson(after.stdout)).toMatchObject({ ok: true, status: "ok", branch: "main", commit_sha: PR_SHA })
  })

  it("check-primary-keys MANIFEST prints a table, or --json", async () => {
    const manifest = join(fixture.dir, "manifest.json")
    const table = await runMain(["dbt", "check-primary-keys", "--ci-config-id", "7", manifest], { env: envFor(server) })
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout.split("\n")[0]).toMatch(/^MODEL\s+TABLE\s+DBT PKS\s+SQL PKS\s+WARNINGS$/)
    expect(table.stdout).toMatch(/shop\.orders\s+analytics\.prod\.orders\s+order_id\s+order_id/)
    const json = await runMain(["dbt", "check-primary-keys", "--ci-config-id", "7", manifest, "--json"], {
      env: envFor(server)
    })
    expect(onlyJson(json.stdout)).toMatchObject({
      ok: true,
      models: [{ dbt_fqn: ["shop", "customers"] }, { dbt_fqn: ["shop", "orders"] }, {
        dbt_fqn: ["shop", "seeded"],
        dbt_original_file_path: null
      }]
    })
    const missing = await runMain(
      ["dbt", "check-primary-keys", "--ci-config-id", "7", join(fixture.dir, "nope.json")],
      { env: envFor(server) }
    )
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain("does not exist")
  })
})

describe("an unreadable file, as a user who cannot read it", () => {
  it.skipIf(process.getuid?.() !== 0)(
    "is refused before anything is sent, naming the file (a child run as nobody)",
    async (ctx) => {
      const { execFile } = await import("node:child_process")
      // The child runs a copy of the bundle from a folder of its own, so where the
      // checkout lives (a private home, a `chmod 700` folder) does not matter; only that
      // nobody can reach the temporary folder and the Node binary, which is checked.
      const copy = mkdtempSync(join(tmpdir(), "datafold-ci-nobody-"))
      const target = makeTarget({ "secret.json": "{}" })
      try {
        cpSync(inject("cliBundle").dir, copy, { recursive: true })
        chmodTree(copy)
        chmodSync(target.parent, 0o755)
        for (const dir of [target.dir, join(target.dir, "compiled"), join(target.dir, "run")]) chmodSync(dir, 0o755)
        chmodSync(join(target.dir, "secret.json"), 0o000)
        const unreachable = [join(copy, "datafold-ci.js"), process.execPath, target.parent].find((path) =>
          !reachableByOthers(path)
        )
        if (unreachable !== undefined) {
          ctx.skip(`user nobody cannot reach ${unreachable}, so the test cannot run it as nobody`)
          return
        }
        const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
          execFile(
            process.execPath,
            [join(copy, "datafold-ci.js"), ...upload, "--target-folder", target.dir, "--commit-sha", PR_SHA],
            {
              uid: 65534,
              gid: 65534,
              env: { PATH: process.env["PATH"] ?? "", HOME: "/tmp", ...envFor(server) },
              cwd: "/"
            },
            (error, _stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code ?? 1), stderr })
          )
        })
        expect(result.code, result.stderr).toBe(2)
        expect(result.stderr).toContain("Could not read secret.json in")
        expect(result.stderr).toContain("(EACCES); nothing was sent")
        expect(server.requests()).toEqual([])
      } finally {
        target.remove()
        rmSync(copy, { recursive: true, force: true })
      }
    }
  )
})

/** Folders 755 and files 644 under `dir`, itself included. */
const chmodTree = (dir: string): void => {
  chmodSync(dir, 0o755)
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) chmodTree(path)
    else chmodSync(path, 0o644)
  }
}

/** Whether any user can reach `path`: every folder above it searchable by others, itself readable. */
const reachableByOthers = (path: string): boolean => {
  if ((statSync(path).mode & 0o004) === 0) return false
  for (let dir = dirname(path);; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false
    if (dir === dirname(dir)) return true
  }
}
