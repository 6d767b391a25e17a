/**
 * The GitLab CI/CD component `templates/datafold-dbt.yml`, run as GitLab would run it in
 * a simulated pipeline (`simulatedGitlab.ts`): its inputs filled in, its rules evaluated,
 * and its script lines run by `sh` with the built `datafold-ci` against the local server
 * on loopback. A push to the default branch uploads the production artifacts; a merge
 * request pipeline uploads the MR head's and waits for its run, and its JUnit report,
 * read by Python's XML parser, has a test case per table; a gate that trips fails the
 * job with exit 12.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, BASE_SHA, cliBundleEntry, PR_SHA, root } from "../cli/support/runCli.ts"
import { makeTarget, run } from "../support/dbtTarget.ts"
import { jobsToRun, loadComponent, ruleMatches, runJob, type Variables } from "./simulatedGitlab.ts"

const COMPONENT = join(root, "templates/datafold-dbt.yml")
const MERGE_COMMIT = "abcdefabcdefabcdefabcdefabcdefabcdefabcd"

const servers: Array<LocalDatafoldServer> = []
const fixtures: Array<{ remove: () => void }> = []
afterAll(async () => {
  await Promise.all(servers.map((own) => own.close()))
  for (const fixture of fixtures) fixture.remove()
})

const server = async () => {
  const own = await startLocalDatafoldServer({
    apiKey: API_KEY,
    ciConfigIds: [123],
    runStatuses: ["running", "done"],
    dataDiffs: {
      onDbtRun: [
        { table1: ["ANALYTICS", "PROD", "ORDERS"], table2: ["ANALYTICS", "MR_45", "ORDERS"], outcome: "different" },
        {
          table1: ["ANALYTICS", "PROD", "CUSTOMERS"],
          table2: ["ANALYTICS", "MR_45", "CUSTOMERS"],
          outcome: "identical"
        }
      ]
    }
  })
  servers.push(own)
  return own
}

/** `datafold-ci` as the component's `cli` input names it: the built bundle, on this Node. */
const cli = () => `${process.execPath} ${cliBundleEntry()}`

/** The same, looking at the run often, so the wait is short (options go anywhere on the line). */
const fastCli = () => `${cli()} --poll-interval 0.01`

const common = (own: LocalDatafoldServer): Variables => ({
  CI: "true",
  GITLAB_CI: "true",
  CI_SERVER_URL: "https://gitlab.example.com",
  CI_PROJECT_PATH: "shop/analytics",
  CI_DEFAULT_BRANCH: "main",
  DATAFOLD_API_KEY: API_KEY,
  DATAFOLD_HOST: own.url
})

/** A merged-results merge request pipeline: CI_COMMIT_SHA is GitLab's merge commit. */
const mergeRequest = (own: LocalDatafoldServer): Variables => ({
  ...common(own),
  CI_PIPELINE_SOURCE: "merge_request_event",
  CI_MERGE_REQUEST_IID: "45",
  CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: "feature/orders",
  CI_MERGE_REQUEST_TARGET_BRANCH_NAME: "main",
  CI_MERGE_REQUEST_SOURCE_BRANCH_SHA: PR_SHA,
  CI_MERGE_REQUEST_DIFF_BASE_SHA: BASE_SHA,
  CI_MERGE_REQUEST_EVENT_TYPE: "merged_result",
  CI_COMMIT_SHA: MERGE_COMMIT,
  CI_COMMIT_REF_NAME: "feature/orders"
})

const pushToMain = (own: LocalDatafoldServer): Variables => ({
  ...common(own),
  CI_PIPELINE_SOURCE: "push",
  CI_COMMIT_BRANCH: "main",
  CI_COMMIT_REF_NAME: "main",
  CI_COMMIT_SHA: BASE_SHA
})

describe("templates/datafold-dbt.yml (GitLab CI/CD component)", () => {
  it("declares every input with a description, and needs only ci-config-id", () => {
    const component = loadComponent(COMPONENT, { "ci-config-id": 123 })
    for (const [name, spec] of Object.entries(component.inputs)) {
      expect(spec.description, name).toMatch(/\w/)
    }
    expect(() => loadComponent(COMPONENT, {})).toThrow(/required input ci-config-id/)
    expect(() => loadComponent(COMPONENT, { "ci-config-id": 123, "fail-onn": "x" })).toThrow(/unknown input/)
  })

  it("runs the production upload on a push to the default branch only, and the MR job in MR pipelines only", async () => {
    const own = await server()
    const component = loadComponent(COMPONENT, { "ci-config-id": 123, cli: cli() })
    expect(jobsToRun(component, mergeRequest(own))).toEqual(["datafold-dbt-merge-request"])
    expect(jobsToRun(component, pushToMain(own))).toEqual(["datafold-dbt-production"])
    expect(jobsToRun(component, { ...pushToMain(own), CI_COMMIT_BRANCH: "feature/x" })).toEqual([])
    expect(ruleMatches('$A == "x" && $B != $C', { A: "x", B: "1" })).toBe(true)
  })

  it("a push to main uploads the production artifacts of the checked-out commit", async () => {
    const own = await server()
    const target = makeTarget()
    fixtures.push(target)
    // A runner clones the project: the job's folder is a git checkout of the pushed commit.
    const git = (...args: ReadonlyArray<string>) => run("git", ["-C", target.parent, ...args])
    await git("init", "-q")
    await git("-c", "user.name=CI", "-c", "user.email=ci@example.com", "commit", "-q", "--allow-empty", "-m", "main")
    const head = (await git("rev-parse", "HEAD")).stdout.trim()
    const component = loadComponent(COMPONENT, { "ci-config-id": 123, cli: cli() })
    const job = component.jobs["datafold-dbt-production"]!
    const result = await runJob(job, { ...pushToMain(own), CI_COMMIT_SHA: head }, target.parent)
    expect(result.code, result.log).toBe(0)
    expect(own.dbtUploads().map((upload) => [upload.ciConfigId, upload.runType, upload.commitSha])).toEqual([
      [123, "production", head]
    ])
  })

  it("an MR pipeline uploads the MR head (not the merge commit), waits, and writes the JUnit report GitLab reads", async () => {
    const own = await server()
    const target = makeTarget()
    fixtures.push(target)
    const component = loadComponent(COMPONENT, { "ci-config-id": 123, cli: fastCli(), "wait-timeout": 5 })
    const job = component.jobs["datafold-dbt-merge-request"]!
    const result = await runJob(job, mergeRequest(own), target.parent)
    expect(result.code, result.log).toBe(0)
    expect(own.dbtUploads().map((upload) => [upload.runType, upload.commitSha])).toEqual([["pull_request", PR_SHA]])
    expect(result.log).toContain("ANALYTICS.MR_45.ORDERS")
    const junit = join(target.parent, job.artifacts!.reports!.junit!)
    expect(job.artifacts?.paths).toContain(job.artifacts!.reports!.junit!)
    expect(job.artifacts?.when).toBe("always")
    const parsed = await run("python3", [
      "-c",
      "import json, sys, xml.etree.ElementTree as ET\n" +
      "root = ET.parse(sys.argv[1]).getroot()\n" +
      "print(json.dumps([c.get('name') for c in root.iter('testcase')]))",
      junit
    ])
    expect(parsed.code, parsed.stderr).toBe(0)
    expect(JSON.parse(parsed.stdout)).toHaveLength(2)
    expect(existsSync(join(target.parent, "datafold-report.md"))).toBe(true)
    expect(readFileSync(join(target.parent, "datafold-report.md"), "utf8")).toContain("ANALYTICS.MR_45.ORDERS")
  })

  it("fail-on that trips fails the MR job with exit 12, and the JUnit report is still written", async () => {
    const own = await server()
    const target = makeTarget()
    fixtures.push(target)
    const component = loadComponent(COMPONENT, { "ci-config-id": 123, cli: fastCli(), "fail-on": "different,schema" })
    const job = component.jobs["datafold-dbt-merge-request"]!
    const result = await runJob(job, mergeRequest(own), target.parent)
    expect(result.code, result.log).toBe(12)
    expect(result.log).toContain("--fail-on different: ANALYTICS.MR_45.ORDERS")
    expect(readFileSync(join(target.parent, "datafold-junit.xml"), "utf8")).toContain("<failure")
  })
})
