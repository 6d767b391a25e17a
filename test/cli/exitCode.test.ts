/**
 * Exit codes and the `--json` encoding of failures, in-process, for every error kind.
 */
import { describe, expect, it } from "@effect/vitest"
import { SettingIssue, SettingsError, UsageError } from "../../src/cli/args/CliError.ts"
import { type CliFailure, failureToJson } from "../../src/cli/shell/CliFailure.ts"
import { exitCodeFor } from "../../src/cli/shell/ExitCode.ts"
import { CiEventFileError, MissingPrFactError } from "../../src/cli/facts/PrFactsError.ts"
import {
  DatafoldAuthError,
  DatafoldInputError,
  DatafoldNetworkError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldRejectedError,
  DatafoldResponseError,
  DatafoldServerError,
  DatafoldValidationError,
  InputIssue
} from "../../src/index.ts"

const url = "https://app.datafold.com/api/v1/ci/7/trigger"

const missingBaseSha = new MissingPrFactError({
  fact: "baseSha",
  sourcesTried: ["flag --base-sha (not given)"],
  flag: "--base-sha"
})

const cases: ReadonlyArray<readonly [CliFailure, number]> = [
  [new UsageError({ problem: "Unknown option --x." }), 2],
  [new SettingsError({ issues: [new SettingIssue({ setting: "DATAFOLD_API_KEY", problem: "is not set." })] }), 2],
  [missingBaseSha, 2],
  [new CiEventFileError({ path: "/x/event.json", reason: "not JSON" }), 2],
  [new DatafoldInputError({ issues: [new InputIssue({ field: "pr_sha", problem: "is short" })] }), 2],
  [new DatafoldAuthError({ status: 403, url, detail: "Forbidden" }), 3],
  [new DatafoldNotFoundError({ url, detail: "Not Found" }), 4],
  [new DatafoldValidationError({ url, detail: [] }), 4],
  [new DatafoldRejectedError({ status: 409, url, detail: "" }), 4],
  [new DatafoldNetworkError({ reason: "Timeout", url, detail: "No answer within 30s" }), 5],
  [new DatafoldRateLimitError({ url, retryAfterMillis: 2000 }), 5],
  [new DatafoldServerError({ status: 503, url, detail: "" }), 5],
  [new DatafoldResponseError({ status: 200, url, problem: "the body is not JSON", excerpt: "<html>" }), 6]
]

describe("exit codes and --json failures", () => {
  it("maps every failure to its documented exit code", () => {
    for (const [error, code] of cases) expect([error._tag, exitCodeFor(error)]).toEqual([error._tag, code])
  })

  it("encodes every failure as its tag, its fields and its message", () => {
    for (const [error] of cases) {
      const json = failureToJson(error)
      expect(json["_tag"]).toBe(error._tag)
      expect(json["message"]).toBe(error.message)
      expect(JSON.parse(JSON.stringify(json))).toEqual(json)
    }
    expect(failureToJson(new DatafoldRateLimitError({ url, retryAfterMillis: 2000 }))).toMatchObject({
      url,
      retryAfterMillis: 2000
    })
    expect(failureToJson(missingBaseSha)).toMatchObject({
      fact: "baseSha",
      flag: "--base-sha",
      sourcesTried: ["flag --base-sha (not given)"]
    })
  })
})
