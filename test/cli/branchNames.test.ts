/**
 * The CLI checks branch names by the library's rule (git's): it neither trims what the
 * library would refuse nor sends what git would refuse. A bad branch is exit 2.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, factFlags, onlyJson, removeTempDirs, runCli } from "./support/runCli.ts"

afterAll(removeTempDirs)

/** Every PR fact as a flag, with this `--pr-branch` instead of the usual one. */
const args = (prBranch: string) => [
  "trigger",
  "--json",
  "--ci-config-id",
  "7",
  ...factFlags.map((value, index) => (factFlags[index - 1] === "--pr-branch" ? prBranch : value))
]

describe.concurrent("datafold-ci and branch names", { timeout: 60_000 }, () => {
  for (const branch of [" main", "my branch", "a..b", "topic.lock"]) {
    it(`--pr-branch ${JSON.stringify(branch)}: exit 2 naming the rule, nothing sent`, async () => {
      const server = await startLocalDatafoldServer({ apiKey: API_KEY })
      try {
        const result = await runCli(args(branch), { env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url } })
        expect(result.code).toBe(2)
        expect(result.stderr).toContain("--pr-branch")
        expect(result.stderr).toContain("must not")
        expect(onlyJson(result.stdout)["ok"]).toBe(false)
        expect(server.requests()).toHaveLength(0)
      } finally {
        await server.close()
      }
    })
  }

  it("refs/heads/ is still stripped, and a valid name is sent exactly as given", async () => {
    const server = await startLocalDatafoldServer({ apiKey: API_KEY })
    try {
      const result = await runCli(args("refs/heads/feature/ok-1.2"), {
        env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url }
      })
      expect(result.code).toBe(0)
      expect(JSON.parse(server.requests()[0]?.body ?? "{}").pr_branch).toBe("feature/ok-1.2")
    } finally {
      await server.close()
    }
  })
})
