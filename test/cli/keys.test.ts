/**
 * The CLI with careless keys and a server that echoes the key: a key unfit for a header
 * or too short is a settings error (exit 2), never an internal error (70); an echoed key
 * reaches neither stderr, nor `--json` stdout, nor the GitHub step summary.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Fault, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, emptyDir, factFlags, onlyJson, removeTempDirs, runCli } from "./support/runCli.ts"

afterAll(removeTempDirs)

const trigger = (...extra: ReadonlyArray<string>) => ["trigger", "--ci-config-id", "7", ...factFlags, ...extra]

describe.concurrent("datafold-ci with careless keys", { timeout: 60_000 }, () => {
  for (
    const [name, key] of [
      ["an inner line break", `${API_KEY.slice(0, 12)}\n${API_KEY.slice(12)}`],
      ["a control character", `${API_KEY}\u0001`],
      ["a key too short to be a Datafold key", "abc123"]
    ] as const
  ) {
    it(`${name}: exit 2 naming DATAFOLD_API_KEY, nothing sent, the key not printed`, async () => {
      const server = await startLocalDatafoldServer({ apiKey: API_KEY })
      try {
        const result = await runCli(trigger("--json"), {
          env: { DATAFOLD_API_KEY: key, DATAFOLD_HOST: server.url }
        })
        expect(result.code).toBe(2)
        expect(result.stderr).toContain("DATAFOLD_API_KEY")
        expect(result.stderr).not.toContain("internal error")
        expect(onlyJson(result.stdout)["ok"]).toBe(false)
        expect(server.requests()).toHaveLength(0)
        for (const text of [result.stdout, result.stderr]) expect(text).not.toContain(API_KEY.slice(12))
      } finally {
        await server.close()
      }
    })
  }

  it("a 422 that echoes the key: not on stderr, not in --json, not in the step summary", async () => {
    const server = await startLocalDatafoldServer({ apiKey: API_KEY })
    try {
      server.inject(
        Fault.respond(
          422,
          JSON.stringify({ detail: [{ loc: ["header", `Key ${API_KEY}`], msg: `bad ${API_KEY}`, type: API_KEY }] }),
          { "content-type": "application/json" }
        )
      )
      const dir = emptyDir()
      const summary = join(dir, "summary.md")
      writeFileSync(summary, "")
      const result = await runCli(trigger("--json"), {
        env: {
          DATAFOLD_API_KEY: `${API_KEY}\n`,
          DATAFOLD_HOST: server.url,
          GITHUB_ACTIONS: "true",
          GITHUB_STEP_SUMMARY: summary
        }
      })
      expect(result.code).not.toBe(0)
      expect(result.code).not.toBe(70)
      expect(result.stderr).toContain("[redacted]")
      expect(server.requests()[0]?.headers["authorization"]).toBe(`Key ${API_KEY}`)
      expect(readFileSync(summary, "utf8")).not.toContain(API_KEY)
      expect(readFileSync(summary, "utf8").length).toBeGreaterThan(0)
    } finally {
      await server.close()
    }
  })
})
