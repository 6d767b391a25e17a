/**
 * What "upload PR/MR changes" needs: input checks, the request, and how an answer
 * without a waiting run becomes a typed outcome. Which failures it retries is
 * `retryUndelivered` (see `retryPolicy.ts`): there is no lookup to find an upload that
 * did arrive, so only failures after which it surely did not are retried.
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { uploadPathFor } from "../core/apiPaths.ts"
import { mostSpecific } from "../core/inputRules.ts"
import { attachedNothing, noRunWaitingDetail, noRunWaitingStatus } from "../core/uploadOutcome.ts"
import { type CiDiff, type CiDiffInput, CiDiffs } from "../CiDiff.ts"
import type { DatafoldError, DatafoldInputError } from "../DatafoldError.ts"
import { DatafoldNoRunWaitingError } from "../DatafoldNoRunWaitingError.ts"
import { CiConfigId, PrNumber } from "../PrDetails.ts"
import type { SubmitCiJob } from "../SubmitCiJob.ts"
import { inputErrorFromIssues } from "./requests.ts"
import type { WireRequest } from "./wire.ts"
import { jsonPost } from "../core/requests.ts"
import { toRequest } from "./requests.ts"

// Built on the first upload, not at load: compiling a decoder costs start-up time, and
// most runs (a plain `datafold-ci trigger`) upload nothing.
const makeCodecs = () => ({
  decode: Schema.decodeUnknownEither(
    Schema.Struct({ ci_config_id: CiConfigId, pr_number: PrNumber, diffs: CiDiffs }),
    { errors: "all" }
  ),
  encodeDiffs: Schema.encodeSync(CiDiffs)
})
let codecs: ReturnType<typeof makeCodecs> | undefined
const submitCodecs = () => (codecs ??= makeCodecs())

/** A checked upload: the ids and the diffs with their defaults filled in, and where and what to send. */
export interface ValidSubmit {
  readonly ciConfigId: number
  readonly prNumber: number
  readonly diffs: ReadonlyArray<CiDiff>
  readonly url: string
  /** The JSON body, as sent: every field written out, defaults included. */
  readonly body: string
}

/** Union members' "Expected null" notes dropped where a refinement said more (see `mostSpecific`). */
const specificIssues = (issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>) =>
  mostSpecific(issues, (issue) => issue.path.join("."), (issue) => issue._tag === "Type")

/** Checks an upload before sending: ids, at least one diff, table paths, unique key columns. */
export const validateSubmit = (
  host: string,
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<CiDiffInput>
): Either.Either<ValidSubmit, DatafoldInputError> =>
  Either.match(submitCodecs().decode({ ci_config_id: ciConfigId, pr_number: prNumber, diffs }), {
    onLeft: (error) =>
      Either.left(inputErrorFromIssues(specificIssues(ParseResult.ArrayFormatter.formatErrorSync(error)), "diffs")),
    onRight: (valid) =>
      Either.right({
        ciConfigId: valid.ci_config_id,
        prNumber: valid.pr_number,
        diffs: valid.diffs,
        url: `${host}${uploadPathFor(valid.ci_config_id, valid.pr_number)}`,
        body: JSON.stringify(submitCodecs().encodeDiffs(valid.diffs))
      })
  })

/** The upload POST. */
export const uploadRequest = (upload: ValidSubmit): WireRequest => toRequest(jsonPost(upload.url, upload.body))

/**
 * An upload's failure as the caller should see it: a 4xx that is not about the key (401,
 * 403), the content (422) or the rate (429) means no run was waiting to attach to.
 */
export const noRunWaitingFromFailure = (
  error: DatafoldError,
  upload: ValidSubmit
): DatafoldError | DatafoldNoRunWaitingError => {
  const status = noRunWaitingStatus(error)
  return status === undefined ? error : new DatafoldNoRunWaitingError({
    ciConfigId: upload.ciConfigId,
    prNumber: upload.prNumber,
    status,
    detail: noRunWaitingDetail(error)
  })
}

/** A 200 whose ids are both null attached the diffs to nothing. */
export const noRunWaitingFromJob = (
  job: SubmitCiJob,
  upload: ValidSubmit
): Either.Either<SubmitCiJob, DatafoldNoRunWaitingError> =>
  attachedNothing(job)
    ? Either.left(
      new DatafoldNoRunWaitingError({
        ciConfigId: upload.ciConfigId,
        prNumber: upload.prNumber,
        status: 200,
        detail: ""
      })
    )
    : Either.right(job)
