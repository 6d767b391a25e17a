/**
 * `datafold-ci diff dbt` against the local server on loopback, with a fixture dbt project
 * (`test/fixtures/dbtDiff`): one diff per diffable model, production against the PR's
 * build, on the key dbt declares; the models it cannot diff listed with why; the report,
 * its gates (exit 12) and files; bad or missing dbt files refused naming the file
 * (exit 2) before anything is sent; the data source from the flag, the environment or
 * vars; a dry run; the bundle.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, onlyJson, removeTempDirs, root, runCli } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

const servers: Array<LocalDatafoldServer> = []
const dirs: Array<string> = []
afterAll(async () => {
  await Promise.all(servers.map((own) => own.close()))
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  removeTempDirs()
})

/** A copy of the fixture project in a fresh folder: `dbt_project.yml` and `target/`. */
const project = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "datafold-diff-dbt-"))
  dirs.push(dir)
  cpSync(join(root, "test/fixtures/dbtDiff"), dir, { recursive: true })
  return dir
}

const server = async (summaryStatuses?: ReadonlyArray<string>) => {
  const own = await startLocalDatafoldServer({
    apiKey: API_KEY,
    dataDiffs: summaryStatuses === undefined ? {} : { summaryStatuses }
  })
  servers.push(own)
  return own
}

const envFor = (target: LocalDatafoldServer, more: Record<string, string> = {}) => ({
  DATAFOLD_API_KEY: API_KEY,
  DATAFOLD_HOST: target.url,
  ...more
})

const diffDbt = (
  target: LocalDatafoldServer,
  cwd: string,
  args: ReadonlyArray<string> = [],
  env: Record<string, string> = {}
) => runMain(["diff", "dbt", "--poll-interval", "0.01", ...args], { env: envFor(target, env), cwd })

describe("datafold-ci diff dbt", () => {
  it("creates one diff per built model with a key and a production path: prod as table 1, the PR build as table 2", async () => {
    const own = await server()
    const dir = project()
    const result = await diffDbt(own, dir, ["--data-source-id", "3"])
    expect(result.code, result.stderr).toBe(0)
    const sent = own.dataDiffs().map((diff) => ({
      table1: diff["table1"],
      table2: diff["table2"],
      pk: diff["pk_columns"],
      ds: [diff["data_source1_id"], diff["data_source2_id"]]
    }))
    expect(sent).toEqual([
      {
        table1: ["ANALYTICS", "PROD", "orders"],
        table2: ["ANALYTICS", "PR_45", "orders"],
        pk: ["order_id"],
        ds: [3, 3]
      },
      {
        table1: ["ANALYTICS", "PROD", "customers"],
        table2: ["ANALYTICS", "PR_45", "customers"],
        pk: ["customer_id"],
        ds: [3, 3]
      },
      {
        table1: ["ANALYTICS", "PROD_finance", "payments"],
        table2: ["ANALYTICS", "PR_45_finance", "payments"],
        pk: ["payment_id"],
        ds: [3, 3]
      }
    ])
    expect(result.stdout).toMatch(/^dbt diff: 3 tables diffed, 3 different, 0 identical\./)
    expect(result.stdout).toMatch(/^ANALYTICS\.PR_45\.orders +different/m)
    expect(result.stdout).toContain(`${own.url}/datadiffs/1/overview`)
    expect(result.stdout).toMatch(/Not diffed \(3 models\):/)
    expect(result.stdout).toMatch(/stg_events +ephemeral/)
    expect(result.stdout).toMatch(/no_key +no primary key/)
    expect(result.stdout).toMatch(/broken +not built by the last dbt command \(status error\)/)
    // Each diff's link as it is created, on stderr.
    expect(result.stderr).toMatch(/orders: http:\/\/127\.0\.0\.1:\d+\/datadiffs\/\d+\/overview/)
  })

  it("--fail-on different trips on a different table (exit 12); --json, --markdown and --junit carry the report", async () => {
    const own = await server()
    const dir = project()
    const result = await diffDbt(own, dir, [
      "--data-source-id",
      "3",
      "--fail-on",
      "different",
      "--markdown",
      "out/report.md",
      "--junit",
      "out/report.xml",
      "--json"
    ])
    expect(result.code, result.stderr).toBe(12)
    const json = onlyJson(result.stdout)
    expect(json).toMatchObject({ ok: true, dry_run: false, data_source_id: 3, fail_on: ["different"] })
    expect(json).not.toHaveProperty("ci_run_id")
    const models = json["models"] as ReadonlyArray<Record<string, unknown>>
    expect(models.map((model) => [model["name"], model["pk_source"]])).toEqual([
      ["orders", "column-tag"],
      ["customers", "unique-test"],
      ["payments", "constraint"]
    ])
    expect((json["tables"] as ReadonlyArray<unknown>).length).toBe(3)
    expect((json["tripped"] as ReadonlyArray<{ gate: string }>).map((trip) => trip.gate)).toEqual([
      "different",
      "different",
      "different"
    ])
    expect((json["skipped"] as ReadonlyArray<{ reason: string }>).map((skip) => skip.reason)).toEqual([
      "Ephemeral",
      "NoPrimaryKey",
      "NotBuilt"
    ])
    const markdown = readFileSync(join(dir, "out/report.md"), "utf8")
    expect(markdown).toMatch(/^### Datafold: dbt diff: 3 tables diffed/)
    expect(markdown).toContain("- `stg_events`: ephemeral")
    expect(readFileSync(join(dir, "out/report.xml"), "utf8")).toContain(`<testsuite name="Datafold dbt diff"`)
  })

  it("a failed diff is reported as failed, and trips --fail-on error", async () => {
    const own = await server(["failed"])
    const result = await diffDbt(own, project(), ["--data-source-id", "3", "--fail-on", "error"])
    expect(result.code, result.stderr).toBe(12)
    expect(result.stdout).toMatch(/3 tables diffed, 0 different, 0 identical, 3 failed/)
    expect(result.stdout).toMatch(/--fail-on error: ANALYTICS\.PR_45\.orders/)
  })

  const badFiles: ReadonlyArray<readonly [what: string, file: string, text: string | undefined, message: RegExp]> = [
    ["a missing manifest", "target/manifest.json", undefined, /Cannot use .*target\/manifest\.json: it does not exist/],
    ["a manifest that is not JSON", "target/manifest.json", '{"nodes": ', /manifest\.json: it is not JSON/],
    ["a manifest without nodes", "target/manifest.json", '{"metadata": {}}', /manifest\.json: it has no "nodes"/],
    ["an empty run_results.json", "target/run_results.json", "", /run_results\.json: it is empty/],
    ["run_results without results", "target/run_results.json", "[]", /run_results\.json: it is not a JSON object/],
    [
      "dbt_project.yml that is not YAML",
      "dbt_project.yml",
      "vars: [unclosed\n",
      /dbt_project\.yml: it is not valid YAML/
    ]
  ]
  for (const [what, file, text, message] of badFiles) {
    it(`${what} is refused before anything is sent (exit 2, the file named)`, async () => {
      const own = await server()
      const dir = project()
      if (text === undefined) rmSync(join(dir, file))
      else writeFileSync(join(dir, file), text)
      const result = await diffDbt(own, dir, ["--data-source-id", "3"])
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr).toMatch(message)
      expect(own.requests()).toHaveLength(0)
    })
  }

  it("no dbt_project.yml here or above: exit 2, naming it and --project-dir; --project-dir finds it elsewhere", async () => {
    const own = await server()
    const dir = project()
    const elsewhere = mkdtempSync(join(tmpdir(), "datafold-diff-dbt-project-"))
    dirs.push(elsewhere)
    cpSync(join(dir, "dbt_project.yml"), join(elsewhere, "dbt_project.yml"))
    rmSync(join(dir, "dbt_project.yml"))
    const missing = await diffDbt(own, dir, ["--data-source-id", "3", "--dry-run"])
    expect(missing.code, missing.stderr).toBe(2)
    expect(missing.stderr).toMatch(/dbt_project\.yml: it does not exist.*--project-dir/)
    const found = await diffDbt(own, dir, ["--data-source-id", "3", "--dry-run", "--project-dir", elsewhere])
    expect(found.code, found.stderr).toBe(0)
    expect(found.stdout).toMatch(/would create 3 data diffs/)
  })

  it("a run that built no model is refused (exit 2): nothing to diff", async () => {
    const own = await server()
    const dir = project()
    writeFileSync(
      join(dir, "target/run_results.json"),
      JSON.stringify({ results: [{ unique_id: "test.shop.unique_customers_customer_id", status: "pass" }] })
    )
    const result = await diffDbt(own, dir, ["--data-source-id", "3"])
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(/lists no model that the last dbt command built successfully/)
    expect(own.requests()).toHaveLength(0)
  })

  it("the data source: the flag, else DATAFOLD_DATA_SOURCE_ID, else vars.data_diff.datasource_id; none or a bad one is exit 2", async () => {
    const own = await server()
    const dir = project()
    const none = await diffDbt(own, dir, ["--dry-run"])
    expect(none.code).toBe(2)
    expect(none.stderr).toMatch(/The data source is missing: pass --data-source-id N, set DATAFOLD_DATA_SOURCE_ID/)
    const bad = await diffDbt(own, dir, ["--dry-run", "--data-source-id", "x1"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--data-source-id "x1" is invalid/)
    const fromEnv = await diffDbt(own, dir, ["--dry-run", "--json"], { DATAFOLD_DATA_SOURCE_ID: "9" })
    expect(onlyJson(fromEnv.stdout)).toMatchObject({ data_source_id: 9 })
    writeFileSync(
      join(dir, "dbt_project.yml"),
      readFileSync(join(dir, "dbt_project.yml"), "utf8") + "    datasource_id: 11\n"
    )
    const fromVars = await diffDbt(own, dir, ["--dry-run", "--json"])
    expect(onlyJson(fromVars.stdout)).toMatchObject({ data_source_id: 11 })
    expect(own.requests()).toHaveLength(0)
  })

  it("--dry-run prints the diffs it would create and sends nothing, without an API key", async () => {
    const own = await server()
    const result = await runMain(["diff", "dbt", "--data-source-id", "3", "--dry-run", "--json"], {
      env: { DATAFOLD_HOST: own.url },
      cwd: project()
    })
    expect(result.code, result.stderr).toBe(0)
    const json = onlyJson(result.stdout)
    const requests = json["requests"] as ReadonlyArray<{ method: string; path: string; body: Record<string, unknown> }>
    expect(requests).toHaveLength(3)
    expect(requests[0]).toMatchObject({
      method: "POST",
      path: "/api/v1/datadiffs",
      body: { data_source1_id: 3, table1: ["ANALYTICS", "PROD", "orders"], pk_columns: ["order_id"] }
    })
    expect(own.requests()).toHaveLength(0)
  })

  it("vars without prod_database or prod_schema: every model listed as having no production path", async () => {
    const own = await server()
    const dir = project()
    writeFileSync(join(dir, "dbt_project.yml"), "name: shop\nprofile: shop\n")
    const result = await diffDbt(own, dir, ["--data-source-id", "3"])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^dbt diff has no data diffs\./)
    expect(result.stdout).toMatch(/orders +no production path: dbt_project\.yml has no vars: data_diff:/)
    expect(own.dataDiffs()).toHaveLength(0)
  })

  it("a key Datafold refuses is exit 3; diffs not finished within --wait-timeout are exit 10", async () => {
    const own = await server()
    const refused = await diffDbt(own, project(), ["--data-source-id", "3"], { DATAFOLD_API_KEY: "dfk_wrong_key_0000" })
    expect(refused.code, refused.stderr).toBe(3)
    const slow = await server(["running"])
    const late = await diffDbt(slow, project(), ["--data-source-id", "3", "--wait-timeout", "0.005"])
    expect(late.code, late.stderr).toBe(10)
  })

  it("refuses another command's options (exit 2): diff dbt takes no CI config", async () => {
    const own = await server()
    const result = await diffDbt(own, project(), ["--data-source-id", "3", "--ci-config-id", "7"])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--ci-config-id is not an option of `diff dbt`/)
    expect(own.requests()).toHaveLength(0)
  })

  it("on GitHub Actions, the step summary has the report and the models not diffed", async () => {
    const own = await server()
    const dir = project()
    const summary = join(dir, "summary.md")
    const result = await diffDbt(own, dir, ["--data-source-id", "3"], {
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary
    })
    expect(result.code, result.stderr).toBe(0)
    const text = readFileSync(summary, "utf8")
    expect(text).toMatch(/### Datafold: dbt diff: 3 tables diffed/)
    expect(text).toMatch(/\*\*Not diffed \(3 models\):\*\*/)
    expect(text).toContain("- `no_key`: no primary key")
  })

  it("the bundle reads dbt_project.yml too (js-yaml is bundled), and diff dbt --help is its own", async () => {
    const own = await server()
    const result = await runCli(["diff", "dbt", "--data-source-id", "3"], { env: envFor(own), cwd: project() })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^dbt diff: 3 tables diffed/)
    const help = await runCli(["diff", "dbt", "--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^datafold-ci diff dbt:/)
    const unknown = await runCli(["diff", "nope"])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(
      /Unknown diff command "nope"; the diff commands are `create`, `wait`, `show`, `list`, `cancel`, `dbt`/
    )
  })
})
