/**
 * A wait keeps talking (issue 26, item 5): each retry is said as it happens, in plain
 * words; in a CI log a waiting line is printed at least once a minute of the wait's own
 * clock while the status stays the same, with the status, the time waited and the run's
 * link. Retries run against the local server's faults; the heartbeat is fed the wait's
 * progress steps (elapsed times from the wait's clock, never the wall clock).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Fault, type LocalDatafoldServer, startLocalDatafoldServer } from "../../src/testing.ts"
import { makeProgress } from "../../src/cli/shell/io.ts"
import { runLink, showWaitProgress } from "../../src/cli/shell/followRun.ts"
import { retryNote } from "../../src/cli/shell/retryNote.ts"
import { API_KEY, factFlags, removeTempDirs } from "./support/runCli.ts"
import { runMain } from "./support/runMain.ts"
import * as Effect from "effect/Effect"
import type { CiRun } from "../../src/CiRun.ts"

let server: LocalDatafoldServer

beforeAll(async () => {
  server = await startLocalDatafoldServer({ apiKey: API_KEY, ciConfigIds: [7] })
})

afterAll(async () => {
  await server?.close()
  removeTempDirs()
})

describe("retries are said as they happen", () => {
  it("each 503 retried prints '503 from Datafold, retry N of M in T s' before the outcome", async () => {
    server.inject(Fault.serverError(503), { times: 2 })
    const result = await runMain(["trigger", "--ci-config-id", "7", ...factFlags, "--retries", "3"], {
      env: { DATAFOLD_API_KEY: API_KEY, DATAFOLD_HOST: server.url }
    })
    server.reset()
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stderr.split("\n").filter((line) => line.includes("retry"))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^datafold-ci: 503 from Datafold, retry 1 of 3 in [\d.]+ s$/)
    expect(lines[1]).toMatch(/^datafold-ci: 503 from Datafold, retry 2 of 3 in [\d.]+ s$/)
  })

  it("words each kind of failure", () => {
    expect(retryNote({ retry: 2, retries: 3, reason: "DatafoldServerError(503)", waitMillis: 4000 })).toBe(
      "503 from Datafold, retry 2 of 3 in 4 s"
    )
    expect(
      retryNote({ retry: 1, retries: 3, reason: "DatafoldNetworkError(ConnectionRefused)", waitMillis: 1234 })
    ).toBe("connection refused by Datafold, retry 1 of 3 in 1.2 s")
  })
})

describe("a wait in a CI log", () => {
  const run = (status: string) => ({ id: 1000, status }) as unknown as CiRun

  it("prints a line at least once a minute while the status stays the same, with the run's link", () => {
    let stderr = ""
    const progress = makeProgress({ stdout: () => {}, stderr: (text) => void (stderr += text) }, false)
    const show = showWaitProgress(
      progress,
      "a CI run for commit 0123456",
      (id) => runLink("https://datafold.example", 7, id)
    )
    // A 5-minute wait, looked at every 15 s of the wait's clock, the run running throughout.
    for (let elapsed = 0; elapsed <= 300_000; elapsed += 15_000) {
      Effect.runSync(
        show({
          _tag: "Listed",
          run: run("running"),
          changed: elapsed === 0,
          elapsedMillis: elapsed,
          polls: elapsed / 15_000 + 1,
          skipped: 0
        })
      )
    }
    const lines = stderr.trimEnd().split("\n")
    expect(lines.length).toBeGreaterThanOrEqual(6)
    expect(lines.length).toBeLessThanOrEqual(7)
    for (const line of lines) {
      expect(line).toMatch(/Datafold CI run 1000 is running \(.+\): https:\/\/datafold\.example\/ci\/7\/runs\/1000$/)
    }
  })
})
