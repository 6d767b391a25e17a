/**
 * The GitHub Action, run the way the runner runs it: the committed `action/index.js` under
 * Node 24 (the `node24` package of this repository's devDependencies, when installed),
 * inputs as `INPUT_*` variables, a `pull_request` event file, `GITHUB_OUTPUT` and
 * `GITHUB_STEP_SUMMARY` files, against the local server. And the committed entry must
 * be exactly what `npm run build:action` builds from the sources today.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { actionBundlePath, buildActionBundle } from "../../scripts/bundles.ts"
import { actionInputs, inputVariable } from "../../src/actionEntry/inputs.ts"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, BASE_SHA, PR_SHA, root } from "../cli/support/runCli.ts"
import { makeTarget } from "../support/dbtTarget.ts"

/** The Node the runner uses for `runs.using: node24`; the machine's Node when it is not installed. */
const node24 = join(root, "node_modules", "node24", "bin", "node")
const actionNode = existsSync(node24) ? node24 : process.execPath

interface ActionRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  readonly outputs: Readonly<Record<string, string>>
  readonly outputFile: string
  readonly summary: string
}

let server: LocalDatafoldServer
let work: string

beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
  work = mkdtempSync(join(tmpdir(), "datafold-action-"))
})

afterAll(async () => {
  await server?.close()
  if (work !== undefined) rmSync(work, { recursive: true, force: true })
})

beforeEach(() => server.reset())

/** Reads `$GITHUB_OUTPUT` as the runner does: `name=value` lines and `name<<DELIMITER` blocks. */
const parseOutputFile = (text: string): Record<string, string> => {
  const outputs: Record<string, string> = {}
  const lines = text.split("\n")
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc !== null) {
      const end = lines.indexOf(heredoc[2]!, index + 1)
      if (end === -1) throw new Error(`unterminated output ${heredoc[1]}`)
      outputs[heredoc[1]!] = lines.slice(index + 1, end).join("\n")
      index = end
    } else if (line.includes("=")) {
      outputs[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1)
    }
  }
  return outputs
}

const pullRequestEvent = {
  action: "synchronize",
  number: 45,
  pull_request: {
    number: 45,
    head: { ref: "feature/login", sha: PR_SHA },
    base: { ref: "main", sha: BASE_SHA }
  }
}

/** Runs the committed entry with exactly the variables a runner step would have, plus `env`. */
const runAction = (
  inputs: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string>> = {}
): Promise<ActionRun> => {
  const step = mkdtempSync(join(work, "step-"))
  const eventPath = join(step, "event.json")
  const outputFile = join(step, "output")
  const summaryFile = join(step, "summary")
  writeFileSync(eventPath, JSON.stringify(pullRequestEvent))
  writeFileSync(outputFile, "")
  writeFileSync(summaryFile, "")
  // The runner sets every declared input, empty when the workflow leaves it out.
  const inputEnv = Object.fromEntries(actionInputs.map((name) => [inputVariable(name), inputs[name] ?? ""]))
  return new Promise((resolve) => {
    execFile(
      actionNode,
      [join(root, actionBundlePath)],
      {
        cwd: step,
        timeout: 30_000,
        env: {
          PATH: process.env["PATH"] ?? "",
          CI: "true",
          GITHUB_ACTIONS: "true",
          GITHUB_EVENT_NAME: "pull_request",
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile,
          GITHUB_SHA: "9999999999999999999999999999999999999999",
          GITHUB_HEAD_REF: "feature/login",
          GITHUB_BASE_REF: "main",
          ...inputEnv,
          ...env
        }
      },
      (error, stdout, stderr) => {
        const outputText = readFileSync(outputFile, "utf8")
        resolve({
          code: error === null ? 0 : typeof error.code === "number" ? error.code : -1,
          stdout,
          stderr,
          outputs: parseOutputFile(outputText),
          outputFile: outputText,
          summary: readFileSync(summaryFile, "utf8")
        })
      }
    )
  })
}

const occurrences = (text: string, part: string): number => text.split(part).length - 1

describe("action.yml", () => {
  const yml = readFileSync(join(root, "action.yml"), "utf8")
  const section = (name: string): ReadonlyArray<string> => {
    const body = new RegExp(`^${name}:\\n((?:  .*\\n)+)`, "m").exec(yml)?.[1] ?? ""
    return [...body.matchAll(/^ {2}([\w-]+):/gm)].map((match) => match[1]!)
  }

  it("is a node24 JavaScript action whose main is the committed bundle", () => {
    expect(yml).toMatch(/^runs:\n {2}using: node24\n {2}main: action\/index\.js\n/m)
    expect(actionBundlePath).toBe("action/index.js")
  })

  it("declares exactly the inputs the entry reads, ci-config-id required, and the three outputs", () => {
    expect(section("inputs")).toEqual(actionInputs)
    expect(yml).toMatch(/^ {2}ci-config-id:\n {4}description: .+\n {4}required: true$/m)
    expect(section("outputs")).toEqual(["ci-run-id", "run-id", "run-status"])
  })
})

describe("action/index.js", { timeout: 60_000 }, () => {
  it("is what npm run build:action builds from the sources now (else run it and commit)", async () => {
    const fresh = join(work, "fresh-index.js")
    await buildActionBundle(fresh)
    const committed = readFileSync(join(root, actionBundlePath), "utf8")
    const built = readFileSync(fresh, "utf8")
    expect(committed === built, "action/index.js is stale: run `npm run build:action` and commit it").toBe(true)
  })

  it(`runs under Node 24 when installed (here ${actionNode === node24 ? "node24" : "the machine's Node"})`, async () => {
    const version = await new Promise<string>((resolve, reject) =>
      execFile(actionNode, ["--version"], (error, stdout) => (error === null ? resolve(stdout.trim()) : reject(error)))
    )
    if (actionNode === node24) expect(version).toMatch(/^v24\./)
    else expect(version).toBe(process.version)
  })

  it("triggers from the pull_request event, masks the key first, sets both outputs and the summary", async () => {
    const result = await runAction({ "ci-config-id": "7", "api-key": API_KEY, host: server.url })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.split("\n")[0]).toBe(`::add-mask::${API_KEY}`)
    expect(result.outputs).toEqual({ "ci-run-id": "1", "run-id": "100001", "run-status": "" })
    expect(result.summary).toContain("Datafold CI run triggered")
    expect(result.summary).toContain("`1`")
    const [request] = server.requests()
    expect(request?.url).toBe("/api/v1/ci/7/trigger")
    expect(JSON.parse(request?.body ?? "{}")).toEqual({
      pr_number: 45,
      pr_branch: "feature/login",
      base_branch: "main",
      pr_sha: PR_SHA,
      base_sha: BASE_SHA
    })
    // The mask line is the only place the key appears.
    expect(occurrences(result.stdout, API_KEY)).toBe(1)
    for (const text of [result.stderr, result.outputFile, result.summary]) expect(text).not.toContain(API_KEY)
  })

  it("reads the key from DATAFOLD_API_KEY when the api-key input is left out, and takes PR overrides", async () => {
    const result = await runAction(
      { "ci-config-id": "7", host: server.url, "pr-num": "46", "pr-branch": "feature/other", retries: "0" },
      { DATAFOLD_API_KEY: API_KEY }
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout.split("\n")[0]).toBe(`::add-mask::${API_KEY}`)
    expect(result.outputs["ci-run-id"]).toBe("1")
    expect(JSON.parse(server.requests()[0]?.body ?? "{}")).toMatchObject({ pr_number: 46, pr_branch: "feature/other" })
  })

  it("fails with the CLI's exit code, an annotation and a failure summary, and sets no output", async () => {
    const denied = await runAction({ "ci-config-id": "7", "api-key": "dfk_wrong_key_masked_too", host: server.url })
    expect(denied.code).toBe(3)
    expect(denied.stdout.split("\n")[0]).toBe("::add-mask::dfk_wrong_key_masked_too")
    expect(denied.stderr).toContain("::error title=Datafold trigger failed::")
    expect(denied.summary).toContain("Datafold trigger failed")
    expect(denied.outputFile).toBe("")
    for (const text of [denied.stderr, denied.summary]) expect(text).not.toContain("dfk_wrong_key_masked_too")

    const noKey = await runAction({ "ci-config-id": "7", host: server.url })
    expect(noKey.code).toBe(2)
    expect(noKey.stdout).not.toContain("::add-mask::")
    expect(noKey.stderr).toContain("DATAFOLD_API_KEY")
    expect(noKey.outputFile).toBe("")
  })

  it("command dbt-upload with wait: uploads the target folder with the PR head, waits, and sets the run's id and status", async () => {
    const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], runStatuses: ["running", "done"] })
    const target = makeTarget()
    try {
      const result = await runAction({
        command: "dbt-upload",
        "ci-config-id": "7",
        "api-key": API_KEY,
        host: own.url,
        "run-type": "pull_request",
        "target-folder": target.dir,
        wait: "true"
      })
      expect(result.code, result.stderr).toBe(0)
      const [upload] = own.dbtUploads()
      expect(upload?.commitSha).toBe(PR_SHA)
      expect(result.outputs).toEqual({ "ci-run-id": String(upload?.ciRunId), "run-id": "", "run-status": "done" })
      expect(result.summary).toContain(`Datafold CI run ${upload?.ciRunId} done`)
      for (const text of [result.stderr, result.outputFile, result.summary]) expect(text).not.toContain(API_KEY)
    } finally {
      target.remove()
      await own.close()
    }
  })

  it("a waited run that failed: the CLI's exit 8, and the run's id and status are still set", async () => {
    const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], runStatuses: ["failed"] })
    const target = makeTarget()
    try {
      const result = await runAction({
        command: "dbt-upload-and-wait",
        "ci-config-id": "7",
        "api-key": API_KEY,
        host: own.url,
        "run-type": "pull_request",
        "target-folder": target.dir
      })
      expect(result.code, result.stderr).toBe(8)
      expect(result.stderr).toContain("::error title=Datafold dbt upload-and-wait failed::")
      expect(result.outputs["run-status"]).toBe("failed")
      expect(result.outputs["ci-run-id"]).toBe(String(own.dbtUploads()[0]?.ciRunId))
    } finally {
      target.remove()
      await own.close()
    }
  })

  it("an unknown command input fails at once with exit 2, saying which commands there are", async () => {
    const result = await runAction({ command: "deploy", "ci-config-id": "7", "api-key": API_KEY, host: server.url })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      'The command input "deploy" is not one of trigger, submit, dbt-upload, dbt-upload-and-wait'
    )
    expect(server.requests()).toEqual([])
  })
})
