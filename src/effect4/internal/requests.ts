/**
 * The requests the Effect 4 client sends, built from checked input: bad input becomes a
 * `DatafoldInputError` here, before anything is sent.
 */
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import { pathFor, TRIGGER_PATH } from "../../core/apiPaths.ts"
import { acceptTrigger } from "../../core/quickAccept.ts"
import { jsonPost, type RequestDescription, runsDescription } from "../../core/requests.ts"
import type { DatafoldInputError } from "../DatafoldError.ts"
import { CiConfigId, PrDetails, type PrDetailsInput } from "../PrDetails.ts"
import { inputErrorFromIssue } from "./inputIssues.ts"

/** Filters for the runs listing. */
export interface RunsQuery {
  readonly prSha?: string | undefined
  readonly prNumber?: number | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

/** A checked trigger: the config id, the details, and the URL and body to send. */
export interface CheckedTrigger {
  readonly id: number
  readonly details: PrDetails
  readonly url: string
  readonly body: string
}

const TriggerInput = Schema.Struct({ ci_config_id: CiConfigId, ...PrDetails.fields })
const decodeTriggerInput = Schema.decodeUnknownResult(TriggerInput)
const decodeConfigId = Schema.decodeUnknownResult(Schema.Struct({ ci_config_id: CiConfigId }))
const encodeDetails = Schema.encodeSync(PrDetails)

/**
 * Check a trigger's config id and details, and build what would be sent to `host`. The
 * common, valid input is recognised without the schema (`core/quickAccept.ts`, as on the
 * Effect 3 entry); the schema checks everything else and names each bad field.
 */
export const checkTrigger = (
  host: string,
  ciConfigId: number,
  details: PrDetailsInput
): Result.Result<CheckedTrigger, DatafoldInputError> => {
  const accepted = acceptTrigger(ciConfigId, details)
  if (accepted === undefined) return checkTriggerWithSchema(host, ciConfigId, details)
  return Result.succeed({
    id: ciConfigId,
    details: accepted,
    url: `${host}${pathFor(TRIGGER_PATH, ciConfigId)}`,
    body: JSON.stringify(accepted)
  })
}

/** {@link checkTrigger} by the schema alone: what it gives for any input. */
export const checkTriggerWithSchema = (
  host: string,
  ciConfigId: number,
  details: PrDetailsInput
): Result.Result<CheckedTrigger, DatafoldInputError> => {
  // One flat record, so every bad field, the id included, is named in one error.
  const record = { ...(typeof details === "object" && details !== null ? details : {}), ci_config_id: ciConfigId }
  const decoded = decodeTriggerInput(record, { errors: "all" })
  if (Result.isFailure(decoded)) return Result.fail(inputErrorFromIssue(decoded.failure.issue, record, "details"))
  const { ci_config_id: id, ...valid } = decoded.success
  return Result.succeed({
    id,
    details: valid,
    url: `${host}${pathFor(TRIGGER_PATH, id)}`,
    body: JSON.stringify(encodeDetails(valid))
  })
}

/** Check a config id on its own (for listing runs). */
export const checkConfigId = (ciConfigId: number): Result.Result<number, DatafoldInputError> => {
  const record = { ci_config_id: ciConfigId }
  const decoded = decodeConfigId(record)
  return Result.isFailure(decoded)
    ? Result.fail(inputErrorFromIssue(decoded.failure.issue, record, "details"))
    : Result.succeed(decoded.success.ci_config_id)
}

/** A plain request description as an Effect 4 `HttpClientRequest`. */
export const toRequest = (description: RequestDescription): HttpClientRequest.HttpClientRequest => {
  const base = description.method === "GET"
    ? HttpClientRequest.get(description.url)
    : HttpClientRequest.post(description.url)
  const withParams = HttpClientRequest.setUrlParams(base, description.params)
  return description.body === undefined
    ? withParams
    : HttpClientRequest.bodyText(withParams, description.body, description.contentType ?? "application/json")
}

/** The trigger POST. */
export const triggerRequest = (trigger: CheckedTrigger): HttpClientRequest.HttpClientRequest =>
  toRequest(jsonPost(trigger.url, trigger.body))

/** `GET /api/v1/ci/{id}/runs` with the given filters. */
export const runsRequest = (host: string, ciConfigId: number, query: RunsQuery): HttpClientRequest.HttpClientRequest =>
  toRequest(runsDescription(host, ciConfigId, query))
