/**
 * The GitHub Action, run the way the runner runs it: the committed `action/index.js` under
 * Node 24 (the `node24` package of this repository's devDependencies, when installed),
 * inputs as `INPUT_*` variables, a `pull_request` event file, `GITHUB_OUTPUT`,
 * `GITHUB_STEP_SUMMARY` and `RUNNER_TEMP`, against the local server: every command, the
 * report's gates (exit 12) and files, the outputs, and the inputs refused before anything
 * is sent. Every input each command takes must reach an option the CLI accepts there. And
 * the committed entry must be exactly what `npm run build:action` builds from the sources.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as Either from "effect/Either"
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { actionBundlePath, buildActionBundle } from "../../scripts/bundles.ts"
import { actionCommandLine } from "../../src/actionEntry/commandLine.ts"
import { actionCommandNames, actionInputs, actionInputTable, inputVariable } from "../../src/actionEntry/inputs.ts"
import { actionOutputs } from "../../src/actionEntry/outputs.ts"
import { parseCliArgs } from "../../src/cli/args/CliArgs.ts"
import type { LocalDataDiffOutcome } from "../../src/testing.ts"
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
  /** The step's `RUNNER_TEMP`. */
  readonly runnerTemp: string
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
  const runnerTemp = mkdtempSync(join(step, "runner-temp-"))
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
          RUNNER_TEMP: runnerTemp,
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
          summary: readFileSync(summaryFile, "utf8"),
          runnerTemp
        })
      }
    )
  })
}

/** Every output, empty: what a step sets when it has none of them. */
const noOutputs: Readonly<Record<string, string>> = Object.fromEntries(actionOutputs.map((name) => [name, ""]))

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

  it("declares exactly the inputs the entry reads and the outputs it writes, each with a description", () => {
    expect(section("inputs")).toEqual(actionInputs)
    expect(section("outputs")).toEqual(actionOutputs)
    for (const name of [...actionInputs, ...actionOutputs]) {
      expect(yml, name).toMatch(new RegExp(`^ {2}${name}:\\n {4}description: .{20,}$`, "m"))
    }
    // No input is required of every command: diff-dbt takes no ci-config-id, and the entry checks the rest.
    expect(yml).not.toMatch(/required: true/)
    // Each switch defaults to false, as the entry reads a left-out switch.
    for (const [name, input] of Object.entries(actionInputTable)) {
      if (input.kind === "switch") {
        expect(yml, name).toMatch(new RegExp(`^ {2}${name}:\\n(?: {4}.+\\n)*? {4}default: "false"$`, "m"))
      }
    }
  })

  it("the command input's description names every command", () => {
    const description = /^ {2}command:\n {4}description: (.+)$/m.exec(yml)?.[1] ?? ""
    for (const command of actionCommandNames) expect(description).toContain(command)
  })
})

describe("the command line the inputs make", () => {
  /** A plausible value for each value input, so that every flag reaches the CLI's parser. */
  const values: Record<string, string> = {
    "ci-config-id": "7",
    timeout: "30",
    host: "http://127.0.0.1:1",
    retries: "0",
    "pr-num": "45",
    "pr-branch": "feature/login",
    "base-branch": "main",
    "pr-sha": PR_SHA,
    "base-sha": BASE_SHA,
    diffs: "diffs.json",
    "run-type": "pull_request",
    "target-folder": "target",
    "commit-sha": PR_SHA,
    "run-id": "3",
    "ci-run-id": "4",
    branch: "main",
    manifest: "target/manifest.json",
    limit: "5",
    "data-source-id": "3",
    "project-dir": ".",
    "wait-timeout": "1",
    "appear-timeout": "1",
    "poll-interval": "1",
    "fail-on": "different",
    markdown: "report.md",
    junit: "report.xml"
  }
  const takes = (name: string, command: string, wait: boolean) => {
    const input = actionInputTable[name]!
    return (input.commands as ReadonlyArray<string>).includes(command) ||
      (wait && (input.whenWaiting as ReadonlyArray<string> | undefined)?.includes(command) === true)
  }

  for (const command of actionCommandNames) {
    for (const wait of [false, true]) {
      if (wait && !takes("wait", command, false)) continue
      it(`${command}${wait ? " with wait" : ""}: every input it takes becomes an option the CLI accepts there`, () => {
        const given = Object.keys(values).filter((name) => takes(name, command, wait))
        const env = {
          [inputVariable("command")]: command,
          ...Object.fromEntries(given.map((name) => [inputVariable(name), values[name]!])),
          ...Object.fromEntries(
            Object.entries(actionInputTable).filter(([name, input]) =>
              input.kind === "switch" && name !== "wait" && takes(name, command, wait)
            ).map(([name]) => [inputVariable(name), "true"])
          ),
          ...(wait ? { [inputVariable("wait")]: "true" } : {})
        }
        const line = actionCommandLine(env)
        if ("problem" in line) throw new Error(line.problem)
        const parsed = parseCliArgs(line.args)
        if (Either.isLeft(parsed)) throw new Error(parsed.left.message)
        expect(line.args).toContain("--json")
        // Each value input given reached the CLI (the manifest as the operand, the folder for its default).
        for (const name of given) {
          if (command === "check-primary-keys" && (name === "target-folder" || name === "manifest")) continue
          expect(line.args.some((arg) => arg.endsWith(`=${values[name]}`)), name).toBe(true)
        }
      })
    }
  }

  it("an input the command does not take is refused, naming where it goes", () => {
    const refused = (inputs: Record<string, string>) => {
      const all = inputs["command"] === "diff-dbt" ? inputs : { "ci-config-id": "7", ...inputs }
      const line = actionCommandLine(Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v])))
      return "problem" in line ? line.problem : ""
    }
    expect(refused({ command: "runs", "fail-on": "different" })).toBe(
      "The fail-on input does not go with command runs: it is for dbt-upload-and-wait, results and diff-dbt, " +
        "and trigger, submit and dbt-upload with wait: true."
    )
    expect(refused({ command: "trigger", junit: "out.xml" })).toMatch(
      /^The junit input needs wait: true with command trigger/
    )
    expect(refused({ command: "results", "appear-timeout": "5" })).toMatch(/^The appear-timeout input needs wait: true/)
    expect(refused({ command: "results", "run-id": "5" })).toMatch(
      /^The run-id input does not go with command results: it is for dbt-upload and dbt-upload-and-wait\.$/
    )
    expect(refused({ command: "diff-dbt", wait: "true" })).toMatch(/^The wait input does not go with command diff-dbt/)
    expect(refused({ command: "trigger", wait: "sometimes" })).toBe(
      'The wait input "sometimes" is neither true nor false.'
    )
    expect(refused({ command: "check-primary-keys", "warn-only": "true" })).toMatch(/^The warn-only input does not go/)
    // A switch left at its default is not given.
    expect(refused({ command: "runs", "warn-only": "false", wait: "false" })).toBe("")
    expect(refused({ command: "trigger", wait: "true", "fail-on": "different" })).toBe("")
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
    expect(result.outputs).toEqual({ ...noOutputs, "ci-run-id": "1", "run-id": "100001" })
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
      // Waited for, so reported: the run's one diff (the local server's default, different),
      // the report as JSON under RUNNER_TEMP; no gate asked for, none tripped.
      expect(result.outputs).toEqual({
        ...noOutputs,
        "ci-run-id": String(upload?.ciRunId),
        "run-status": "done",
        "differing-tables": "1",
        "report-path": result.outputs["report-path"]
      })
      expect(dirname(result.outputs["report-path"] ?? "")).toBe(result.runnerTemp)
      const report = JSON.parse(readFileSync(result.outputs["report-path"] ?? "", "utf8"))
      expect(report).toMatchObject({ ci_run_id: upload?.ciRunId, counts: { different: 1 }, tripped: [] })
      expect(result.summary).toContain("1 different")
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

  /** A server whose triggered runs get one diff per outcome, tables named after them. */
  const serverWith = (outcomes: ReadonlyArray<LocalDataDiffOutcome>, runStatuses?: ReadonlyArray<string>) =>
    startLocalDatafoldServer({
      apiKey: API_KEY,
      ciConfigIds: [7],
      ...(runStatuses === undefined ? {} : { runStatuses }),
      dataDiffs: {
        onTrigger: outcomes.map((outcome) => ({
          table1: ["ANALYTICS", "PROD", outcome.toUpperCase()],
          table2: ["ANALYTICS", "PR_45", outcome.toUpperCase()],
          outcome
        }))
      }
    })

  const connection = (target: LocalDatafoldServer) => ({ "ci-config-id": "7", "api-key": API_KEY, host: target.url })

  it("command runs: lists the config's runs (pr-num filters), sets the newest run's id and status, and the summary", async () => {
    const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], runStatuses: ["running"] })
    try {
      for (const pr of ["45", "46", "45"]) {
        const triggered = await runAction({ ...connection(own), "pr-num": pr })
        expect(triggered.code, triggered.stderr).toBe(0)
      }
      const all = await runAction({ ...connection(own), command: "runs", limit: "10" })
      expect(all.code, all.stderr).toBe(0)
      expect(all.outputs).toEqual({ ...noOutputs, "ci-run-id": "3", "run-status": "running" })
      expect(all.summary).toContain("Datafold CI runs of CI config 7")
      const listed = JSON.parse(all.stdout.split("\n").find((line) => line.startsWith("{")) ?? "{}")
      expect(listed.runs.map((run: { id: number }) => run.id).sort()).toEqual([1, 2, 3])

      const one = await runAction({ ...connection(own), command: "runs", "pr-num": "46" })
      expect(one.code, one.stderr).toBe(0)
      expect(one.outputs["ci-run-id"]).toBe("2")
      expect(own.requests().at(-1)?.url).toMatch(/^\/api\/v1\/ci\/7\/runs\?.*pr_num=46/)
    } finally {
      await own.close()
    }
  })

  it("command results: a fail-on gate trips (exit 12), the outputs and the markdown file are set, the summary has the table", async () => {
    const own = await serverWith(["different", "schema", "identical"])
    try {
      const triggered = await runAction(connection(own))
      expect(triggered.code, triggered.stderr).toBe(0)
      const result = await runAction({
        ...connection(own),
        command: "results",
        "fail-on": "different, error",
        markdown: "out/report.md",
        "poll-interval": "0.01"
      })
      expect(result.code, result.stderr).toBe(12)
      const stepDir = dirname(result.runnerTemp)
      expect(result.outputs).toEqual({
        ...noOutputs,
        "ci-run-id": "1",
        "differing-tables": "2",
        "tripped-gates": "different",
        "report-path": join(stepDir, "out", "report.md")
      })
      expect(readFileSync(join(stepDir, "out", "report.md"), "utf8")).toContain("ANALYTICS.PR_45.DIFFERENT")
      // The CLI's own step summary, through the action: the report's table and the gate that tripped.
      expect(result.summary).toContain("### Datafold: CI run 1")
      expect(result.summary).toContain("ANALYTICS.PR_45.SCHEMA")
      expect(result.summary).toMatch(/different/)
      expect(readdirSync(result.runnerTemp)).toEqual([])
      for (const text of [result.stderr, result.outputFile, result.summary]) expect(text).not.toContain(API_KEY)
    } finally {
      await own.close()
    }
  })

  it("command results by ci-run-id, no gate: exit 0, the report as JSON under RUNNER_TEMP; a junit file is the report-path", async () => {
    const own = await serverWith(["identical", "failed"])
    try {
      await runAction(connection(own))
      const result = await runAction({
        ...connection(own),
        command: "results",
        "ci-run-id": "1",
        "poll-interval": "0.01"
      })
      expect(result.code, result.stderr).toBe(0)
      expect(result.outputs["differing-tables"]).toBe("0")
      expect(result.outputs["tripped-gates"]).toBe("")
      const path = result.outputs["report-path"] ?? ""
      expect(dirname(path)).toBe(result.runnerTemp)
      expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({
        ci_run_id: 1,
        counts: { identical: 1, failed: 1, different: 0 },
        fail_on: []
      })

      const junit = await runAction({
        ...connection(own),
        command: "results",
        "ci-run-id": "1",
        junit: "report.xml",
        "fail-on": "error",
        "poll-interval": "0.01"
      })
      expect(junit.code, junit.stderr).toBe(12)
      expect(junit.outputs["tripped-gates"]).toBe("error")
      expect(junit.outputs["report-path"]).toBe(join(dirname(junit.runnerTemp), "report.xml"))
      expect(readFileSync(junit.outputs["report-path"] ?? "", "utf8")).toMatch(/^<\?xml/)
    } finally {
      await own.close()
    }
  })

  it("trigger with wait, fail-on, junit, appear-timeout and poll-interval: waits, reports, trips the gate (exit 12)", async () => {
    const own = await serverWith(["duplicatePks"], ["running", "done"])
    try {
      const result = await runAction({
        ...connection(own),
        wait: "true",
        "fail-on": "duplicate-pks",
        junit: "junit.xml",
        "appear-timeout": "5",
        "poll-interval": "0.01"
      })
      expect(result.code, result.stderr).toBe(12)
      expect(result.outputs).toMatchObject({
        "ci-run-id": "1",
        "run-status": "done",
        "tripped-gates": "duplicate-pks",
        "report-path": join(dirname(result.runnerTemp), "junit.xml")
      })
      expect(result.summary).toContain("| Run status | `done` (CI run `1`) |")
      expect(result.summary).toContain("### Datafold: CI run 1: 1 table diffed")
      expect(result.summary).toMatch(/- `duplicate-pks`: `ANALYTICS\.PR_45\.DUPLICATEPKS`/)
      expect(readFileSync(join(dirname(result.runnerTemp), "junit.xml"), "utf8")).toContain("DUPLICATEPKS")
    } finally {
      await own.close()
    }
  })

  it("appear-timeout reaches the wait: a run that never appears ends the wait at once (exit 10)", async () => {
    const own = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7], createDbtRuns: false })
    const target = makeTarget()
    try {
      const result = await runAction({
        ...connection(own),
        command: "dbt-upload-and-wait",
        "run-type": "pull_request",
        "target-folder": target.dir,
        "appear-timeout": "0.05",
        "poll-interval": "0.01"
      })
      expect(result.code, result.stderr).toBe(10)
      expect(result.stderr).toMatch(/::error title=Datafold dbt upload-and-wait failed::/)
      expect(result.outputFile).toBe("")
    } finally {
      target.remove()
      await own.close()
    }
  })

  it("command check-post-upload-dbt-artifacts: exit 11 before the upload, artifacts-present false with warn-only, true after", async () => {
    const target = makeTarget()
    try {
      const check = {
        ...connection(server),
        command: "check-post-upload-dbt-artifacts",
        "run-type": "production",
        branch: "main",
        "commit-sha": PR_SHA
      }
      const before = await runAction(check)
      expect(before.code, before.stderr).toBe(11)
      expect(before.outputFile).toBe("")
      const warned = await runAction({ ...check, "warn-only": "true" })
      expect(warned.code, warned.stderr).toBe(0)
      expect(warned.outputs).toEqual({ ...noOutputs, "artifacts-present": "false" })
      const uploaded = await runAction({
        ...connection(server),
        command: "dbt-upload",
        "run-type": "production",
        "target-folder": target.dir,
        "commit-sha": PR_SHA
      })
      expect(uploaded.code, uploaded.stderr).toBe(0)
      const after = await runAction(check)
      expect(after.code, after.stderr).toBe(0)
      expect(after.outputs).toEqual({ ...noOutputs, "artifacts-present": "true" })
      expect(server.requests().at(-1)?.url).toBe("/api/v1/dbt/post_upload_check_artifacts/7")
    } finally {
      target.remove()
    }
  })

  it("command check-primary-keys: the manifest in target-folder by default, or the manifest input; fail-on-missing", async () => {
    const target = makeTarget()
    try {
      const byFolder = await runAction({
        ...connection(server),
        command: "check-primary-keys",
        "target-folder": target.dir
      })
      expect(byFolder.code, byFolder.stderr).toBe(0)
      expect(JSON.parse(byFolder.stdout.split("\n").find((line) => line.startsWith("{")) ?? "{}")).toMatchObject({
        ok: true,
        models_with_primary_key: 2
      })
      expect(byFolder.outputs).toEqual(noOutputs)
      const byPath = await runAction({
        ...connection(server),
        command: "check-primary-keys",
        manifest: join(target.dir, "manifest.json"),
        "fail-on-missing": "true"
      })
      // The fixture's shop.customers declares no key.
      expect(byPath.code, byPath.stderr).toBe(12)
      expect(byPath.stderr).toContain("shop.customers")
      expect(byPath.outputFile).toBe("")
      const none = await runAction({ ...connection(server), command: "check-primary-keys" })
      expect(none.code).toBe(2)
      expect(none.stderr).toContain("manifest.json")
    } finally {
      target.remove()
    }
  })

  it("command diff-dbt: one diff per model, no ci-config-id; fail-on different trips (exit 12) with the counts and the report", async () => {
    const own = await startLocalDatafoldServer({ apiKey: API_KEY })
    const project = mkdtempSync(join(work, "project-"))
    cpSync(join(root, "test/fixtures/dbtDiff"), project, { recursive: true })
    try {
      const result = await runAction({
        command: "diff-dbt",
        "api-key": API_KEY,
        host: own.url,
        "data-source-id": "3",
        "project-dir": project,
        "target-folder": join(project, "target"),
        "fail-on": "different",
        "poll-interval": "0.01"
      })
      expect(result.code, result.stderr).toBe(12)
      expect(own.dataDiffs()).toHaveLength(3)
      expect(result.outputs).toEqual({
        ...noOutputs,
        "differing-tables": "3",
        "tripped-gates": "different",
        "report-path": result.outputs["report-path"]
      })
      expect(dirname(result.outputs["report-path"] ?? "")).toBe(result.runnerTemp)
      expect(JSON.parse(readFileSync(result.outputs["report-path"] ?? "", "utf8"))).toMatchObject({
        dry_run: false,
        counts: { different: 3 }
      })
      expect(result.summary).toContain("dbt diff")
    } finally {
      await own.close()
    }
  })

  it("refuses bad inputs before anything is sent (exit 2, an annotation and a summary naming the input)", async () => {
    // Each message, input by input, is checked above on the command line alone; here, what the step does with one.
    const cases: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{ command: "runs", "fail-on": "different" }, "The fail-on input does not go with command runs"],
      [{ command: "trigger", markdown: "r.md" }, "The markdown input needs wait: true with command trigger"],
      [{ command: "trigger", wait: "maybe" }, 'The wait input "maybe" is neither true nor false.'],
      [{ command: "results", "fail-on": "diferent" }, '--fail-on "diferent" is invalid']
    ]
    for (const [inputs, message] of cases) {
      const result = await runAction({ ...connection(server), ...inputs })
      expect(result.code, JSON.stringify(inputs)).toBe(2)
      expect(result.stderr).toContain(message)
      expect(result.stderr).toMatch(/::error title=Datafold/)
      expect(result.summary).toContain(message)
      expect(result.outputFile).toBe("")
    }
    const noConfig = await runAction({ "api-key": API_KEY, host: server.url, command: "runs" })
    expect(noConfig.code).toBe(2)
    expect(noConfig.stderr).toContain("The ci-config-id input is missing: command runs needs the Datafold CI config id")
    const fromEnv = await runAction({ "api-key": API_KEY, host: server.url, command: "runs" }, {
      DATAFOLD_CI_CONFIG_ID: "7"
    })
    expect(fromEnv.code, fromEnv.stderr).toBe(0)
    expect(server.requests().map((request) => request.url)).toEqual(["/api/v1/ci/7/runs"])
  })

  it("an unknown command input fails at once with exit 2, saying which commands there are", async () => {
    const result = await runAction({ command: "deploy", "ci-config-id": "7", "api-key": API_KEY, host: server.url })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(
      'The command input "deploy" is not one of trigger, submit, runs, results, dbt-upload, dbt-upload-and-wait, ' +
        "check-post-upload-dbt-artifacts, check-primary-keys, diff-dbt (default trigger)."
    )
    expect(server.requests()).toEqual([])
  })
})
