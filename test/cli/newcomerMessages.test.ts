/**
 * Help and messages a newcomer can act on (issue 26, item 6), in-process against the local
 * server: unknown flags suggest the nearest of the command's options, messages name the
 * flag actually given (`--host`), a folder with neither git nor target/ reports the folder,
 * the local server's 503 says "Service Unavailable", and check-primary-keys' summary,
 * width and --fail-on-missing.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { main } from "../../src/cli/main.ts"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { makeTarget, type TargetFixture } from "../support/dbtTarget.ts"
import { API_KEY, closedPort, emptyDir, factFlags, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

let server: LocalDatafoldServer
let fixture: TargetFixture

beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
  fixture = makeTarget()
})

afterAll(async () => {
  await server?.close()
  fixture?.remove()
  removeTempDirs()
})

const env = () => ({ DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url })

describe("unknown flags", () => {
  it("suggest the nearest option of that command and point to its help", async () => {
    const result = await runMain(["trigger", "--ci-config-id", "7", "--pr-nmu", "45"], { env: env() })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain("Unknown option --pr-nmu: did you mean --pr-num?")
    expect(result.stderr).toContain("Run `datafold-ci trigger --help` for its options.")
    const dbt = await runMain(["dbt", "upload-and-wait", "--apear-timeout", "5"], { env: env() })
    expect(dbt.stderr).toContain("did you mean --appear-timeout?")
    expect(dbt.stderr).toContain("`datafold-ci dbt upload-and-wait --help`")
  })
})

describe("messages name what the user set", () => {
  it('"check --host" when --host was given, DATAFOLD_HOST when that was', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`
    const argv = ["trigger", "--ci-config-id", "7", ...factFlags, "--retries", "0"]
    const flag = await runMain([...argv, "--host", url], { env: { DATAFOLD_API_KEY: API_KEY } })
    expect(flag.code).toBe(5)
    expect(flag.stderr).toContain("Check --host")
    expect(flag.stderr).not.toContain("DATAFOLD_HOST")
    const variable = await runMain(argv, { env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: url } })
    expect(variable.stderr).toContain("Check DATAFOLD_HOST")
  })

  it("in a folder with neither git nor target/, the missing folder is reported first", async () => {
    const result = await runMain(["dbt", "upload", "--ci-config-id", "7", "--run-type", "pull_request"], {
      env: env(),
      cwd: emptyDir()
    })
    expect(result.code).toBe(2)
    const first = result.stderr.split("\n")[0] ?? ""
    expect(first).toMatch(/target folder .*target.* does not exist/)
    expect(result.stderr).not.toContain("git")
  })

  it("the local server's canned 503 says Service Unavailable", async () => {
    server.inject(Fault.serverError(503))
    const result = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, "--retries", "0"], { env: env() })
    server.reset()
    expect(result.code).toBe(5)
    expect(result.stderr).toContain("Service Unavailable")
    expect(result.stderr).not.toContain("Bad Gateway")
  })
})

describe("check-primary-keys", () => {
  const manifest = () => join(fixture.dir, "manifest.json")

  it("ends with a summary line, and --fail-on-missing exits 12 naming the model without a key", async () => {
    const result = await runMain(["dbt", "check-primary-keys", "--ci-config-id", "7", manifest()], { env: env() })
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stdout.trimEnd().split("\n")
    // The fixture: orders and seeded declare a key; customers does not.
    expect(lines.at(-1)).toBe("3 models, 2 with a primary key")
    const strict = await runMain(
      ["dbt", "check-primary-keys", "--ci-config-id", "7", manifest(), "--fail-on-missing"],
      {
        env: env()
      }
    )
    expect(strict.code).toBe(12)
    expect(strict.stderr).toContain("1 of 3 models have no primary key: shop.customers.")
  })

  it("keeps to 100 columns on a wide terminal, to the terminal's width on a narrow one, uncut in a log", async () => {
    // A model whose names alone are wider than 100 columns.
    const long = "a_model_with_a_name_long_enough_to_push_the_table_past_any_terminal_width"
    const wide = join(emptyDir(), "manifest.json")
    writeFileSync(
      wide,
      JSON.stringify({
        metadata: { dbt_version: "1.8.0" },
        nodes: {
          [`model.shop.${long}`]: {
            resource_type: "model",
            name: long,
            database: "analytics",
            schema: "prod",
            fqn: ["shop", long],
            original_file_path: `models/${long}.sql`,
            config: { meta: { primary_key: ["order_id"] } }
          }
        }
      })
    )
    const run = async (stdoutColumns: number | undefined) => {
      let stdout = ""
      const code = await main(["dbt", "check-primary-keys", "--ci-config-id", "7", wide], {
        env: env(),
        cwd: emptyDir(),
        io: { stdout: (text) => void (stdout += text), stderr: () => {} },
        stdoutColumns
      })
      expect(code).toBe(0)
      return stdout.trimEnd().split("\n")
    }
    const widest = (lines: ReadonlyArray<string>) => Math.max(...lines.map((line) => line.length))
    expect(widest(await run(200))).toBeLessThanOrEqual(100)
    expect(widest(await run(60))).toBeLessThanOrEqual(60)
    const log = await run(undefined)
    expect(widest(log)).toBeGreaterThan(100)
    expect(log.join("\n")).not.toContain("…")
  })
})
