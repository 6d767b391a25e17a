/**
 * The requests the client sends, built from checked input: bad input becomes a
 * `DatafoldInputError` here, before anything is sent.
 */
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { pathFor, TRIGGER_PATH } from "../core/apiPaths.ts"
import { fieldName, INPUT_WORDS } from "../core/inputRules.ts"
import { acceptTrigger } from "../core/quickAccept.ts"
import { jsonPost, type RequestDescription, runsDescription } from "../core/requests.ts"
import { DatafoldInputError, InputIssue } from "../DatafoldError.ts"
import { CiConfigId, PrDetails, type PrDetailsInput } from "../PrDetails.ts"
import type { WireRequest } from "./wire.ts"

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
const decodeTriggerInput = Schema.decodeUnknownEither(TriggerInput, { errors: "all" })
const decodeConfigId = Schema.decodeUnknownEither(Schema.Struct({ ci_config_id: CiConfigId }))
const encodeDetails = Schema.encodeSync(PrDetails)

/**
 * Formatted parse issues as the input error naming every bad field; an issue about the
 * whole input is named `root`.
 */
export const inputErrorFromIssues = (
  issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>,
  root: string
): DatafoldInputError =>
  new DatafoldInputError({
    issues: issues.map((issue) =>
      new InputIssue({
        field: fieldName(issue.path, root),
        problem: issue._tag === "Missing" ? INPUT_WORDS.missing : issue.message
      })
    )
  })

/** A parse failure of trigger or listing input as the input error naming every bad field. */
const inputError = (error: ParseResult.ParseError): DatafoldInputError =>
  inputErrorFromIssues(ParseResult.ArrayFormatter.formatErrorSync(error), "details")

/**
 * Check a trigger's config id and details, and build what would be sent to `host`. The
 * common, valid input is recognised without the schema (`core/quickAccept.ts`); the
 * schema checks everything else and names each bad field.
 */
export const checkTrigger = (
  host: string,
  ciConfigId: number,
  details: PrDetailsInput
): Either.Either<CheckedTrigger, DatafoldInputError> => {
  const accepted = acceptTrigger(ciConfigId, details)
  if (accepted !== undefined) {
    return Either.right({
      id: ciConfigId,
      details: accepted,
      url: `${host}${pathFor(TRIGGER_PATH, ciConfigId)}`,
      body: JSON.stringify(accepted)
    })
  }
  return checkTriggerWithSchema(host, ciConfigId, details)
}

/** {@link checkTrigger} by the schema alone: what it gives for any input. */
export const checkTriggerWithSchema = (
  host: string,
  ciConfigId: number,
  details: PrDetailsInput
): Either.Either<CheckedTrigger, DatafoldInputError> => {
  // One flat record, so every bad field, the id included, is named in one error.
  const record = typeof details === "object" && details !== null ? details : {}
  return Either.match(decodeTriggerInput({ ...record, ci_config_id: ciConfigId }), {
    onLeft: (error) => Either.left(inputError(error)),
    onRight: ({ ci_config_id: id, ...valid }) =>
      Either.right({
        id,
        details: valid,
        url: `${host}${pathFor(TRIGGER_PATH, id)}`,
        body: JSON.stringify(encodeDetails(valid))
      })
  })
}

/** Check a config id on its own (for listing runs). */
export const checkConfigId = (ciConfigId: number): Either.Either<number, DatafoldInputError> =>
  Either.match(decodeConfigId({ ci_config_id: ciConfigId }), {
    onLeft: (error) => Either.left(inputError(error)),
    onRight: ({ ci_config_id }) => Either.right(ci_config_id)
  })

/** A plain request description as the request the library's wires and `sendOverClient.ts` send. */
export const toRequest = (description: RequestDescription): WireRequest => {
  const search = new URLSearchParams(description.params).toString()
  return {
    method: description.method,
    url: description.url,
    query: search === "" ? "" : `?${search}`,
    body: description.body,
    ...(description.contentType === undefined ? {} : { contentType: description.contentType })
  }
}

/** The trigger POST. */
export const triggerRequest = (trigger: CheckedTrigger): WireRequest => toRequest(jsonPost(trigger.url, trigger.body))

/** `GET /api/v1/ci/{id}/runs` with the given filters. */
export const runsRequest = (host: string, ciConfigId: number, query: RunsQuery): WireRequest =>
  toRequest(runsDescription(host, ciConfigId, query))
