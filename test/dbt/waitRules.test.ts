/**
 * The wait's shared rules as tables: which listed run is ours (the commit, the PR number
 * and the run id must all match what we know; the server's filtering is never trusted),
 * and which failed listings a wait looks past (a reset, a timeout, an unreadable answer,
 * a 429, a 5xx) up to its deadline.
 */
import { describe, expect, it } from "vitest"
import { listingFailureMayPass, listingFailureStep } from "../../src/core/dbt/listingFailure.ts"
import { isOwnRun, type ListedRun, pickOwnRun } from "../../src/core/dbt/ownRun.ts"

const OURS = "ab".repeat(20)
const OTHER = "cd".repeat(20)
const listed = (id: number, pr_sha: string, pr_num = "42"): ListedRun => ({ id, pr_sha, pr_num })

describe("isOwnRun", () => {
  const table: ReadonlyArray<readonly [string, Parameters<typeof isOwnRun>[0], ListedRun, boolean]> = [
    ["our commit", { prSha: OURS, ciRunId: undefined, prNumber: undefined }, listed(1, OURS), true],
    [
      "our commit, upper case on the wire",
      { prSha: OURS, ciRunId: undefined, prNumber: undefined },
      listed(
        1,
        OURS.toUpperCase()
      ),
      true
    ],
    ["another commit", { prSha: OURS, ciRunId: undefined, prNumber: undefined }, listed(1, OTHER), false],
    ["our commit and PR", { prSha: OURS, ciRunId: undefined, prNumber: 42 }, listed(1, OURS), true],
    ["our commit, another PR", { prSha: OURS, ciRunId: undefined, prNumber: 42 }, listed(1, OURS, "43"), false],
    ["our id and commit", { prSha: OURS, ciRunId: 5, prNumber: undefined }, listed(5, OURS), true],
    ["our id, another commit", { prSha: OURS, ciRunId: 5, prNumber: undefined }, listed(5, OTHER), false],
    ["our commit, another id", { prSha: OURS, ciRunId: 5, prNumber: undefined }, listed(6, OURS), false],
    ["our id, no commit known", { prSha: undefined, ciRunId: 5, prNumber: undefined }, listed(5, OTHER), true],
    ["our id and PR (submit)", { prSha: undefined, ciRunId: 5, prNumber: 42 }, listed(5, OTHER), true],
    ["our id, another PR (submit)", { prSha: undefined, ciRunId: 5, prNumber: 42 }, listed(5, OTHER, "7"), false]
  ]
  for (const [name, target, run, ours] of table) {
    it(`${name}: ${ours ? "ours" : "not ours"}`, () => expect(isOwnRun(target, run)).toBe(ours))
  }
})

describe("pickOwnRun", () => {
  it("a listing that ignored the filter: the newest of ours, the others counted", () => {
    const runs = [listed(3, OURS), listed(9, OTHER), listed(4, OURS), listed(8, OTHER, "7")]
    expect(pickOwnRun({ prSha: OURS, ciRunId: undefined, prNumber: undefined }, runs)).toEqual({
      run: listed(4, OURS),
      skipped: 2
    })
  })

  it("only others' runs: none picked, all counted", () => {
    expect(pickOwnRun({ prSha: OURS, ciRunId: undefined, prNumber: undefined }, [listed(9, OTHER)])).toEqual({
      run: undefined,
      skipped: 1
    })
  })

  it("our id on another commit is not ours; our id on our commit is", () => {
    const target = { prSha: OURS, ciRunId: 5, prNumber: undefined }
    expect(pickOwnRun(target, [listed(5, OTHER)])).toEqual({ run: undefined, skipped: 1 })
    expect(pickOwnRun(target, [listed(5, OTHER), listed(5, OURS), listed(6, OURS)])).toEqual({
      run: listed(5, OURS),
      skipped: 2
    })
  })
})

describe("listingFailureMayPass", () => {
  const table: ReadonlyArray<readonly [string, number | undefined, boolean]> = [
    ["DatafoldServerError", 500, true],
    ["DatafoldServerError", 503, true],
    ["DatafoldRateLimitError", undefined, true],
    ["DatafoldNetworkError", undefined, true],
    ["DatafoldResponseError", 200, true],
    ["DatafoldRejectedError", 501, true],
    ["DatafoldAuthError", 401, false],
    ["DatafoldAuthError", 403, false],
    ["DatafoldNotFoundError", undefined, false],
    ["DatafoldNotFoundError", 404, false],
    ["DatafoldValidationError", 422, false],
    ["DatafoldRejectedError", 400, false],
    ["DatafoldRejectedError", 307, false],
    ["DatafoldInputError", undefined, false]
  ]
  for (const [tag, status, passes] of table) {
    it(`${tag} ${status ?? "(no status)"}: ${passes ? "looked at again" : "ends the wait"}`, () =>
      expect(listingFailureMayPass({ _tag: tag, status })).toBe(passes))
  }
})

describe("listingFailureStep", () => {
  const limits = { timeout: 60_000, appearWithin: 10_000, pollEvery: 2000, maxPollEvery: 15_000 }
  const failure = { _tag: "DatafoldServerError", status: 500 }

  it("backs off like a look, even past appearWithin (a failed look cannot tell whether the run appeared)", () => {
    expect(listingFailureStep(limits, 1, failure, 0)).toEqual({ _tag: "Sleep", millis: 2000 })
    expect(listingFailureStep(limits, 2, failure, 30_000)).toEqual({ _tag: "Sleep", millis: 3000 })
  })

  it("the last look falls on the deadline; at the deadline it gives up", () => {
    expect(listingFailureStep(limits, 9, failure, 59_000)).toEqual({ _tag: "Sleep", millis: 1000 })
    expect(listingFailureStep(limits, 10, failure, 60_000)).toEqual({ _tag: "GiveUp" })
  })

  it("a failure that cannot pass gives up at once", () => {
    expect(listingFailureStep(limits, 1, { _tag: "DatafoldAuthError", status: 401 }, 0)).toEqual({ _tag: "GiveUp" })
  })
})
