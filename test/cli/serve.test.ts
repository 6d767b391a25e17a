/**
 * `datafold-ci serve` as a user runs it: the bundled CLI as a child process. It prints its
 * URL first, serves trigger, runs, upload and dbt's endpoints with the local server's
 * answers, logs one JSON line per request (never the key), injects the faults asked for
 * (on dbt's endpoints too), lets runs end (`--run-statuses`, default `running,done`), and
 * stops cleanly on SIGTERM and SIGINT.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { type ChildProcess, execFileSync, spawn } from "node:child_process"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import {
  API_KEY,
  cliBundleEntry,
  emptyDir,
  factFlags,
  onlyJson,
  PR_SHA,
  removeTempDirs,
  runCli
} from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

/** The CLI bundle built once for the run, with plain node. */
const bundle = cliBundleEntry()
afterAll(removeTempDirs)

interface Served {
  readonly child: ChildProcess
  readonly url: string
  readonly lines: () => ReadonlyArray<string>
  readonly stderr: () => string
  readonly exit: Promise<number | null>
}

const serve = (args: ReadonlyArray<string>, env: Record<string, string> = {}): Promise<Served> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, "serve", ...args], {
      env: { PATH: process.env["PATH"] ?? "", ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    const exit = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk
      const first = stdout.split("\n")[0]
      if (stdout.includes("\n") && first !== undefined) {
        resolve({ child, url: first, lines: () => stdout.split("\n").slice(1, -1), stderr: () => stderr, exit })
      }
    })
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => void (stderr += chunk))
    child.once("exit", (code) => reject(new Error(`serve exited (${code}) before printing its URL: ${stderr}`)))
  })

describe("datafold-ci serve", { timeout: 60_000 }, () => {
  it("serves the whole workflow, logs each request without the key, stops on SIGTERM with exit 0", async () => {
    const server = await serve([], { DATAFOLD_API_KEY: API_KEY })
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const env = { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url }
    const diffs = join(emptyDir(), "diffs.json")
    const { writeFileSync } = await import("node:fs")
    writeFileSync(diffs, JSON.stringify([{ prod: "a.prod.t", pr: "a.pr.t" }]))
    const triggered = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, "--diffs", diffs, "--json"], {
      env
    })
    expect(onlyJson(triggered.stdout)).toMatchObject({ ok: true, ci_run_id: 1, submitted: { ci_run_id: 1 } })
    const listed = await runMain(["runs", "--ci-config-id", "7", "--json"], { env })
    expect(onlyJson(listed.stdout)).toMatchObject({ runs: [{ id: 1, status: "running" }] })
    const wrongKey = await runMain(["runs", "--ci-config-id", "7"], {
      env: { ...env, DATAFOLD_API_KEY: "dfk_other_key_not_accepted" }
    })
    expect(wrongKey.code).toBe(3)
    const invalid = await fetch(`${server.url}/api/v1/ci/x/runs?limit=abc`, {
      headers: { authorization: `Key ${API_KEY}` }
    })
    expect(await invalid.json()).toMatchObject({
      detail: [{ loc: ["path", "ci_config_id"] }, { loc: ["query", "limit"] }]
    })

    server.child.kill("SIGTERM")
    expect(await server.exit).toBe(0)
    const log = server.lines().map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(log.map((entry) => `${entry["method"]} ${entry["endpoint"]} ${entry["status"]}`)).toStrictEqual([
      "POST trigger 200",
      "POST upload 200",
      "GET runs 200",
      "GET runs 403",
      "GET runs 422"
    ])
    expect(server.lines().join("\n")).not.toContain(API_KEY)
    expect(server.stderr()).not.toContain(API_KEY)
    expect(server.stderr()).toContain("only the key in DATAFOLD_API_KEY")
    expect(server.stderr()).toContain("stopped")
  })

  it("without DATAFOLD_API_KEY accepts any key; --fail 503x2 and --lose-answer shape the next answers; SIGINT stops it", async () => {
    const server = await serve(["--fail", "503x2", "--lose-answer", "--port", "0"])
    const env = { DATAFOLD_API_KEY: "dfk_any_key_at_all_works", DATAFOLD_HOST: server.url }
    const result = await runMain(["trigger", "--ci-config-id", "3", ...factFlags, "--json"], { env })
    // Two 503s are retried, the lost answer is found by the duplicate-run lookup: one run.
    expect(onlyJson(result.stdout)).toMatchObject({ ok: true, ci_run_id: 1 })
    server.child.kill("SIGINT")
    expect(await server.exit).toBe(0)
    const log = server.lines().map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(log.map((entry) => `${entry["endpoint"]} ${entry["status"]} ${entry["fault"]}`)).toStrictEqual([
      "trigger 503 Respond",
      "trigger 503 Respond",
      "trigger null LoseAnswer",
      "runs 200 null"
    ])
    expect(server.stderr()).toContain("any API key")
  })

  /** A dbt target folder zipped by Debian's zip, uploaded by curl -F; the status code. */
  const curlUpload = (url: string, runType: string, key = API_KEY): number => {
    const target = join(emptyDir(), "target")
    mkdirSync(target)
    writeFileSync(join(target, "manifest.json"), '{"metadata":{},"nodes":{}}')
    execFileSync("zip", ["-q", "-r", "../artifacts.zip", "."], { cwd: target })
    const status = execFileSync("curl", [
      ...["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", `Authorization: Key ${key}`],
      ...[
        "-F",
        `commit_sha=${PR_SHA}`,
        "-F",
        `run_type=${runType}`,
        "-F",
        `artifacts=@${join(target, "..", "artifacts.zip")}`
      ],
      `${url}/api/v1/dbt/submit_artifacts/7`
    ], { encoding: "utf8" })
    return Number(status)
  }
  const statusesOf = async (url: string) =>
    ((await (await fetch(`${url}/api/v1/ci/7/runs?pr_sha=${PR_SHA}&limit=1`, {
      headers: { authorization: `Key ${API_KEY}` }
    })).json()) as Array<{ status: string; source: string }>).map((run) => `${run.source} ${run.status}`)

  it("serves dbt's upload; its run is running, then done, by default; the log names dbt's endpoints", async () => {
    const server = await serve([], { DATAFOLD_API_KEY: API_KEY })
    expect(curlUpload(server.url, "production")).toBe(200)
    expect(curlUpload(server.url, "pull_request")).toBe(200)
    expect(await statusesOf(server.url)).toStrictEqual(["dbt running"])
    expect(await statusesOf(server.url)).toStrictEqual(["dbt done"])
    const check = await fetch(`${server.url}/api/v1/dbt/post_upload_check_artifacts/7`, {
      method: "POST",
      headers: { authorization: `Key ${API_KEY}` },
      body: new URLSearchParams({ commit_sha: PR_SHA, run_type: "pull_request", branch: "feature" })
    })
    expect(await check.json()).toStrictEqual({ status: "ok" })
    server.child.kill("SIGTERM")
    expect(await server.exit).toBe(0)
    const log = server.lines().map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(log.map((entry) => `${entry["method"]} ${entry["endpoint"]} ${entry["status"]}`)).toStrictEqual([
      "POST dbtUpload 200",
      "POST dbtUpload 200",
      "GET runs 200",
      "GET runs 200",
      "POST dbtCheck 200"
    ])
    expect(server.lines().join("\n")).not.toContain(API_KEY)
  })

  it("--run-statuses running,failed and faults aimed at dbtUpload: 413, then a cut upload", async () => {
    const server = await serve(
      ["--run-statuses", "running,failed", "--fault-endpoint", "dbtUpload", "--fail", "413", "--fail", "cut-upload"],
      { DATAFOLD_API_KEY: API_KEY }
    )
    expect(curlUpload(server.url, "pull_request")).toBe(413)
    // curl reports no status (000) for a connection reset before any answer.
    expect(() => curlUpload(server.url, "pull_request")).toThrow()
    expect(curlUpload(server.url, "pull_request")).toBe(200)
    expect([await statusesOf(server.url), await statusesOf(server.url)]).toStrictEqual([
      ["dbt running"],
      ["dbt failed"]
    ])
    server.child.kill("SIGTERM")
    expect(await server.exit).toBe(0)
    const log = server.lines().map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(log.map((entry) => `${entry["endpoint"]} ${entry["status"]} ${entry["fault"]}`)).toStrictEqual([
      "dbtUpload 413 Respond",
      "dbtUpload null CutUpload",
      "dbtUpload 200 null",
      "runs 200 null",
      "runs 200 null"
    ])
  })

  it("a bad fault flag or a taken port is exit 2 with what to do", async () => {
    const bad = await runCli(["serve", "--fail", "nonsense"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--fail "nonsense" is invalid')
    const endpoint = await runMain(["serve", "--fault-endpoint", "dbt"])
    expect(endpoint.code).toBe(2)
    expect(endpoint.stderr).toContain(
      '--fault-endpoint "dbt" is invalid: it is trigger, runs, upload, dbtUpload, dbtCheck or checkPks.'
    )
    const statuses = await runMain(["serve", "--run-statuses", "running,,done"])
    expect(statuses.code).toBe(2)
    expect(statuses.stderr).toContain("--run-statuses")
    const first = await serve([])
    const port = new URL(first.url).port
    const taken = await runMain(["serve", "--port", port])
    expect(taken.code).toBe(2)
    expect(taken.stderr).toContain("Choose another --port")
    first.child.kill("SIGTERM")
    expect(await first.exit).toBe(0)
  })
})
