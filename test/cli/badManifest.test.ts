/**
 * A bad `manifest.json` is refused before anything is sent: `dbt upload`, `dbt
 * upload-and-wait` and `dbt check-primary-keys` exit 2 naming the file and what is wrong
 * with it (empty, not JSON, JSON but not a dbt manifest), and the server saw no request.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { API_KEY, emptyDir, PR_SHA, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"

let server: LocalDatafoldServer | undefined
afterAll(async () => {
  await server?.close()
  removeTempDirs()
})

const bad: ReadonlyArray<readonly [string, string, string]> = [
  ["empty", "", "it is empty"],
  ["not JSON", "<html>502 Bad Gateway</html>", "it is not JSON"],
  ["JSON, not a manifest", '{"results": []}', 'it is JSON, but has no "metadata" and no "nodes" at its top level'],
  [
    "cut short before its nodes",
    '{"metadata": {"dbt_version": "1.8.0"',
    "it is not complete JSON: it ends inside its object"
  ]
]

describe("a bad manifest.json is refused before anything is sent", () => {
  for (const [name, content, words] of bad) {
    it(`${name}: dbt upload-and-wait and check-primary-keys exit 2 naming the file; nothing sent`, async () => {
      server ??= await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
      server.reset()
      const target = join(emptyDir(), "target")
      mkdirSync(target)
      writeFileSync(join(target, "manifest.json"), content)
      writeFileSync(join(target, "run_results.json"), "{}")
      const env = { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url }
      const upload = await runMain([
        "dbt",
        "upload-and-wait",
        "--ci-config-id",
        "7",
        "--run-type",
        "pull_request",
        "--target-folder",
        target,
        "--commit-sha",
        PR_SHA
      ], { env })
      expect(upload.code, upload.stderr).toBe(2)
      expect(upload.stderr).toContain(`manifest.json in ${target} is not a dbt manifest (${words}`)
      expect(upload.stderr).toContain("nothing was sent")
      const keys = await runMain(["dbt", "check-primary-keys", "--ci-config-id", "7", join(target, "manifest.json")], {
        env
      })
      expect(keys.code, keys.stderr).toBe(2)
      expect(keys.stderr).toContain(`${join(target, "manifest.json")} is not a dbt manifest (${words}`)
      expect(server.requests()).toEqual([])
    })
  }
})
