/**
 * What "upload PR/MR changes" needs in the Effect 4 client: input checks, the request,
 * and how an answer without a waiting run becomes a typed outcome (the shared rules).
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import { uploadPathFor } from "../../core/apiPaths.ts"
import { attachedNothing, noRunWaitingDetail, noRunWaitingStatus } from "../../core/uploadOutcome.ts"
import { type CiDiff, type CiDiffInput, CiDiffs } from "../CiDiff.ts"
import type { DatafoldError, DatafoldInputError } from "../DatafoldError.ts"
import { DatafoldNoRunWaitingError } from "../DatafoldNoRunWaitingError.ts"
import { CiConfigId, PrNumber } from "../PrDetails.ts"
import type { SubmitCiJob } from "../SubmitCiJob.ts"
import { inputErrorFromIssue } from "./inputIssues.ts"
import { jsonPost } from "../../core/requests.ts"
import { toRequest } from "./requests.ts"

const SubmitInput = Schema.Struct({ ci_config_id: CiConfigId, pr_number: PrNumber, diffs: CiDiffs })
const decodeSubmitInput = Schema.decodeUnknownResult(SubmitInput)
const encodeDiffs = Schema.encodeSync(CiDiffs)

/** A checked upload: the ids and the diffs with their defaults filled in, and where and what to send. */
export interface ValidSubmit {
  readonly ciConfigId: number
  readonly prNumber: number
  readonly diffs: ReadonlyArray<CiDiff>
  readonly url: string
  /** The JSON body, as sent: every field written out, defaults included. */
  readonly body: string
}

/** Checks an upload before sending: ids, at least one diff, table paths, unique key columns. */
export const validateSubmit = (
  host: string,
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<CiDiffInput>
): Result.Result<ValidSubmit, DatafoldInputError> => {
  const record = { ci_config_id: ciConfigId, pr_number: prNumber, diffs }
  const decoded = decodeSubmitInput(record, { errors: "all" })
  if (Result.isFailure(decoded)) return Result.fail(inputErrorFromIssue(decoded.failure.issue, record, "diffs"))
  const valid = decoded.success
  return Result.succeed({
    ciConfigId: valid.ci_config_id,
    prNumber: valid.pr_number,
    diffs: valid.diffs,
    url: `${host}${uploadPathFor(valid.ci_config_id, valid.pr_number)}`,
    body: JSON.stringify(encodeDiffs(valid.diffs))
  })
}

/** The upload POST. */
export const uploadRequest = (upload: ValidSubmit): HttpClientRequest.HttpClientRequest =>
  toRequest(jsonPost(upload.url, upload.body))

/** An upload's failure as the caller should see it: a 4xx that means no run was waiting. */
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
): Result.Result<SubmitCiJob, DatafoldNoRunWaitingError> =>
  attachedNothing(job)
    ? Result.fail(
      new DatafoldNoRunWaitingError({
        ciConfigId: upload.ciConfigId,
        prNumber: upload.prNumber,
        status: 200,
        detail: ""
      })
    )
    : Result.succeed(job)
