/**
 * What "upload PR/MR changes" needs besides the request itself: input checks, which
 * failures may be retried, and how an answer without a waiting run becomes a typed
 * outcome. Kept apart from the client so each rule is testable alone.
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { type CiDiff, type CiDiffInput, CiDiffs } from "../CiDiff.ts"
import { type DatafoldError, DatafoldInputError, InputIssue } from "../DatafoldError.ts"
import { DatafoldNoRunWaitingError } from "../DatafoldNoRunWaitingError.ts"
import { CiConfigId, PrNumber } from "../PrDetails.ts"
import type { SubmitCiJob } from "../SubmitCiJob.ts"

const SubmitInput = Schema.Struct({ ci_config_id: CiConfigId, pr_number: PrNumber, diffs: CiDiffs })
const decodeSubmitInput = Schema.decodeUnknownEither(SubmitInput, { errors: "all" })

/** A checked upload: the ids and the diffs with their defaults filled in. */
export interface ValidSubmit {
  readonly ciConfigId: number
  readonly prNumber: number
  readonly diffs: ReadonlyArray<CiDiff>
}

/**
 * Union members each report why they did not match; when one member gave a specific
 * reason for a field (a refinement), the others' "Expected null" notes only confuse.
 */
const mostSpecific = (issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>) => {
  const key = (issue: ParseResult.ArrayFormatterIssue) => issue.path.join(".")
  const specific = new Set(issues.filter((issue) => issue._tag !== "Type").map(key))
  return issues.filter((issue) => issue._tag !== "Type" || !specific.has(key(issue)))
}

/** Checks an upload before sending: ids, at least one diff, table paths, unique key columns. */
export const validateSubmit = (
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<CiDiffInput>
): Either.Either<ValidSubmit, DatafoldInputError> =>
  Either.match(decodeSubmitInput({ ci_config_id: ciConfigId, pr_number: prNumber, diffs }), {
    onLeft: (error) =>
      Either.left(
        new DatafoldInputError({
          issues: mostSpecific(ParseResult.ArrayFormatter.formatErrorSync(error)).map((issue) =>
            new InputIssue({
              field: issue.path.length > 0 ? issue.path.join(".") : "diffs",
              problem: issue._tag === "Missing" ? "is missing" : issue.message
            })
          )
        })
      ),
    onRight: (valid) => Either.right({ ciConfigId: valid.ci_config_id, prNumber: valid.pr_number, diffs: valid.diffs })
  })

/**
 * Failures after which an upload surely did not reach Datafold's handler, so sending it
 * again cannot attach the diffs twice. There is no lookup to check for an upload that
 * did arrive (unlike a trigger's run), so anything that may have been delivered is not
 * retried: a reset or timeout after sending, 502 and 504 (a gateway may have lost the
 * answer), and 500.
 *
 * - connection refused: nothing was sent;
 * - 429: Datafold refused to handle the request;
 * - 503: the service (or the gateway in front of it) is not taking requests.
 *
 * A host that is not found is not retried either, as for a trigger: a typo does not get better.
 */
export const isUploadRetryable = (error: DatafoldError): boolean => {
  switch (error._tag) {
    case "DatafoldNetworkError":
      return error.reason === "ConnectionRefused"
    case "DatafoldRateLimitError":
      return true
    case "DatafoldServerError":
      return error.status === 503
    default:
      return false
  }
}

/** The `detail` of an error answer, when it has one worth repeating. */
const detailOf = (error: DatafoldError): string =>
  "detail" in error && typeof error.detail === "string" ? error.detail.slice(0, 200) : ""

/**
 * An upload's failure as the caller should see it: a 4xx that is not about the key (401,
 * 403), the content (422) or the rate (429) means no run was waiting to attach to.
 */
export const noRunWaitingFromFailure = (
  error: DatafoldError,
  upload: ValidSubmit
): DatafoldError | DatafoldNoRunWaitingError => {
  const status = error._tag === "DatafoldNotFoundError"
    ? 404
    : error._tag === "DatafoldRejectedError"
    ? error.status
    : undefined
  return status === undefined ? error : new DatafoldNoRunWaitingError({
    ciConfigId: upload.ciConfigId,
    prNumber: upload.prNumber,
    status,
    detail: detailOf(error)
  })
}

/** A 200 whose ids are both null attached the diffs to nothing. */
export const noRunWaitingFromJob = (
  job: SubmitCiJob,
  upload: ValidSubmit
): Either.Either<SubmitCiJob, DatafoldNoRunWaitingError> =>
  job.ci_run_id === null && job.run_id === null
    ? Either.left(
      new DatafoldNoRunWaitingError({
        ciConfigId: upload.ciConfigId,
        prNumber: upload.prNumber,
        status: 200,
        detail: ""
      })
    )
    : Either.right(job)
