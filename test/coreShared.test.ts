/**
 * The Effect-free pieces both majors share since the majors were lined up: the
 * duplicate-run look's steps, the per-operation table, the request descriptions and the
 * tag-to-error table. The behaviour through both clients is covered by client.test.ts
 * and the fault tests; these pin the decisions themselves.
 */
import { describe, expect, it } from "vitest"
import { attemptEnded, isTriggeredRun, lookStep, triggerKey } from "../src/core/duplicateRun.ts"
import { errorFromTable } from "../src/core/errorTable.ts"
import { OPERATIONS, triggerOutcomeAttributes } from "../src/core/operations.ts"
import { artifactsCheckDescription, runsDescription } from "../src/core/requests.ts"

const look = {
  found: false,
  inFlightBefore: true,
  step: 0,
  now: 0,
  deadlineAt: 60_000,
  firstWaitMillis: 1_000,
  longestWaitMillis: 5_000,
  minAttemptMillis: 500
}

describe("core/duplicateRun", () => {
  it("settles on a found run, or on none once nothing was in flight", () => {
    expect(lookStep({ ...look, found: true })).toEqual({ _tag: "Settled" })
    expect(lookStep({ ...look, inFlightBefore: false })).toEqual({ _tag: "Settled" })
  })

  it("backs off while an attempt may be in flight, and stops before the deadline", () => {
    expect(lookStep(look)).toEqual({ _tag: "Sleep", millis: 1_000 })
    expect(lookStep({ ...look, step: 2 })).toEqual({ _tag: "Sleep", millis: 4_000 })
    expect(lookStep({ ...look, step: 9 })).toEqual({ _tag: "Sleep", millis: 5_000 })
    expect(lookStep({ ...look, now: 58_600 })).toEqual({ _tag: "DeadlineReached" })
  })

  it("keeps a commit in flight after a lost answer or an interruption, not after a plain refusal", () => {
    const lost = attemptEnded({
      error: { _tag: "DatafoldNetworkError", reason: "Timeout" },
      interrupted: false,
      now: 100,
      timeoutMillis: 1_000
    })
    expect(lost).toEqual({ lost: true, inFlightUntil: 2_100 })
    expect(attemptEnded({ error: undefined, interrupted: true, now: 100, timeoutMillis: 1_000 }))
      .toEqual({ lost: false, inFlightUntil: 2_100 })
    expect(
      attemptEnded({
        error: { _tag: "DatafoldAuthError", status: 401 },
        interrupted: false,
        now: 100,
        timeoutMillis: 1_000
      })
    )
      .toEqual({ lost: false, inFlightUntil: undefined })
  })

  it("keys and matches a trigger by config, PR number and lower-case SHA", () => {
    expect(triggerKey(1, 42, "abc")).not.toBe(triggerKey(1, 4, "2abc"))
    expect(isTriggeredRun({ pr_sha: "ABC", pr_num: "42" }, 42, "abc")).toBe(true)
    expect(isTriggeredRun({ pr_sha: "abc", pr_num: "43" }, 42, "abc")).toBe(false)
  })
})

describe("core/operations, core/requests, core/errorTable", () => {
  it("retries only undelivered uploads, and names the trigger's outcome", () => {
    const cut = { _tag: "DatafoldNetworkError", reason: "ConnectionReset" }
    expect(OPERATIONS.trigger.retry(cut)).toBe(true)
    expect(OPERATIONS.submitDiffs.retry(cut)).toBe(false)
    expect(triggerOutcomeAttributes(2, { ciRunId: null })).toEqual({
      "datafold.attempts": 2,
      "datafold.outcome": "triggered",
      "datafold.ci_run_id": "null"
    })
  })

  it("describes the runs listing and the artifacts check form", () => {
    expect(runsDescription("https://h", 7, { prNumber: 42, limit: 5 })).toEqual({
      method: "GET",
      url: "https://h/api/v1/ci/7/runs",
      params: { pr_num: "42", limit: "5" },
      body: undefined
    })
    const form = artifactsCheckDescription("https://h", 7, { commitSha: "abc", runType: "production", branch: "a b" })
    expect(form.body).toBe("commit_sha=abc&run_type=production&branch=a+b")
    expect(form.contentType).toBe("application/x-www-form-urlencoded")
  })

  it("builds the class the outcome's tag names", () => {
    class Named {
      constructor(readonly fields: { readonly _tag: string }) {}
    }
    const table = {
      DatafoldAuthError: class extends Named {},
      DatafoldNotFoundError: class extends Named {},
      DatafoldValidationError: class extends Named {},
      DatafoldRateLimitError: class extends Named {},
      DatafoldServerError: class extends Named {},
      DatafoldRejectedError: class extends Named {},
      DatafoldResponseError: class extends Named {}
    }
    const error = errorFromTable<unknown, Named>(table)({ _tag: "DatafoldNotFoundError", url: "u", detail: "d" })
    expect(error).toBeInstanceOf(table.DatafoldNotFoundError)
    expect(error.fields).toEqual({ _tag: "DatafoldNotFoundError", url: "u", detail: "d" })
  })
})
