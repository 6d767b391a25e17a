/**
 * The Effect 4 client service itself, built from checked options and an `HttpClient`: a
 * short composition of the attempt, the retry drivers, the duplicate-run guard and the
 * request builders (as `internal/makeService.ts` is for Effect 3).
 */
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import { authorizationFor, PREPARED_HEADERS } from "../../core/requestHeaders.ts"
import {
  listRunsAttributes,
  OPERATIONS,
  submitDiffsAttributes,
  triggerAttributes,
  triggerOutcomeAttributes
} from "../../core/operations.ts"
import { makeScrub } from "../../core/scrub.ts"
import { CiRuns } from "../CiRun.ts"
import type { ResolvedOptions } from "../DatafoldConfig.ts"
import type { DatafoldClientService } from "../DatafoldClientService.ts"
import { SubmitCiJob } from "../SubmitCiJob.ts"
import { makeAttempt, minimumAttemptMillis } from "./attempt.ts"
import { authorizedClient } from "./authorizedClient.ts"
import type { DbtCalls } from "./dbtCalls.ts"
import { makeTriggerCalls } from "./duplicateRun.ts"
import { decoderFor } from "./interpretResponse.ts"
import { checkConfigId, checkTrigger, runsRequest } from "./requests.ts"
import { makeRetryDriver } from "./retryDriver.ts"
import { noRunWaitingFromFailure, noRunWaitingFromJob, uploadRequest, validateSubmit } from "./uploadPolicy.ts"

const decodeCiRuns = decoderFor(CiRuns)
const decodeSubmitCiJob = decoderFor(SubmitCiJob)

/** A shared check's `Result` as an Effect. */
export const fromResult = <A, E>(result: Result.Result<A, E>): Effect.Effect<A, E> =>
  Result.isSuccess(result) ? Effect.succeed(result.success) : Effect.fail(result.failure)

/**
 * A client for checked options (`resolveOptions`) over `baseClient`, its requests going
 * through `transformClient` (a user's hook, `HttpClientOptions.transformClient`) when given.
 */
export const makeService = (
  settings: ResolvedOptions,
  baseClient: HttpClient.HttpClient,
  transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
): DatafoldClientService => {
  const secret = Redacted.value(settings.apiKey)
  const authorized = authorizedClient(baseClient, authorizationFor(secret))
  const client = transformClient === undefined ? authorized : transformClient(authorized)
  const minAttemptMillis = minimumAttemptMillis(settings)
  const attempt = makeAttempt({
    client,
    timeout: settings.timeout,
    deadline: settings.deadline,
    minAttemptMillis,
    scrub: makeScrub(secret)
  })
  const triggerCalls = makeTriggerCalls({ ...settings, attempt, minAttemptMillis })
  const retries = {
    trigger: makeRetryDriver({ ...settings, minAttemptMillis }, OPERATIONS.trigger.span, OPERATIONS.trigger.retry),
    listRuns: makeRetryDriver({ ...settings, minAttemptMillis }, OPERATIONS.listRuns.span, OPERATIONS.listRuns.retry),
    upload: makeRetryDriver(
      { ...settings, minAttemptMillis },
      OPERATIONS.submitDiffs.span,
      OPERATIONS.submitDiffs.retry
    )
  }

  const prepareTrigger: DatafoldClientService["prepareTrigger"] = (ciConfigId, details) =>
    Effect.map(fromResult(checkTrigger(settings.host, ciConfigId, details)), ({ body, details, url }) => ({
      method: "POST" as const,
      url,
      headers: PREPARED_HEADERS,
      body,
      details
    }))

  const prepareSubmit: DatafoldClientService["prepareSubmit"] = (ciConfigId, prNumber, diffs) =>
    Effect.map(fromResult(validateSubmit(settings.host, ciConfigId, prNumber, diffs)), ({ body, diffs, url }) => ({
      method: "POST" as const,
      url,
      headers: PREPARED_HEADERS,
      body,
      diffs
    }))

  const submitDiffs: DatafoldClientService["submitDiffs"] = (ciConfigId, prNumber, diffs) =>
    Effect.suspend(() => {
      const checked = validateSubmit(settings.host, ciConfigId, prNumber, diffs)
      if (Result.isFailure(checked)) return Effect.fail(checked.failure)
      const upload = checked.success
      const request = uploadRequest(upload)
      return retries.upload((deadlineAt) => attempt(request, decodeSubmitCiJob, deadlineAt)).pipe(
        Effect.mapError((error) => noRunWaitingFromFailure(error, upload)),
        Effect.flatMap((job) => fromResult(noRunWaitingFromJob(job, upload))),
        Effect.withSpan(OPERATIONS.submitDiffs.span, {
          kind: "client",
          attributes: submitDiffsAttributes(upload.ciConfigId, upload.prNumber, upload.diffs.length)
        })
      )
    })

  const trigger: DatafoldClientService["trigger"] = (ciConfigId, details) =>
    Effect.suspend(() => {
      const checked = checkTrigger(settings.host, ciConfigId, details)
      if (Result.isFailure(checked)) return Effect.fail(checked.failure)
      const { details: valid, id } = checked.success
      const call = triggerCalls(checked.success)
      return retries.trigger(call.once).pipe(
        Effect.tapError((error) => Effect.annotateCurrentSpan(triggerOutcomeAttributes(call.attempts(), error))),
        Effect.tap((job) =>
          Effect.annotateCurrentSpan(triggerOutcomeAttributes(call.attempts(), { ciRunId: job.ci_run_id }))
        ),
        Effect.withSpan(OPERATIONS.trigger.span, {
          kind: "client",
          attributes: triggerAttributes(id, valid.pr_number)
        })
      )
    })

  const listRuns: DatafoldClientService["listRuns"] = (ciConfigId, query = {}) =>
    Effect.suspend(() => {
      const checked = checkConfigId(ciConfigId)
      if (Result.isFailure(checked)) return Effect.fail(checked.failure)
      const id = checked.success
      const request = runsRequest(settings.host, id, query)
      return retries.listRuns((deadlineAt) => attempt(request, decodeCiRuns, deadlineAt)).pipe(
        Effect.withSpan(OPERATIONS.listRuns.span, { kind: "client", attributes: listRunsAttributes(id) })
      )
    })

  // The wait and the dbt calls (the ZIP writer under them, their errors' schemas) are
  // loaded on the first call: a client that only triggers never builds them.
  let wait: Promise<DatafoldClientService["waitForRun"]> | undefined
  const waitForRun: DatafoldClientService["waitForRun"] = (ciConfigId, target, options) =>
    Effect.flatMap(
      Effect.promise(() => wait ??= import("./waitForRun.ts").then(({ makeWaitForRun }) => makeWaitForRun(listRuns))),
      (waitFor) => waitFor(ciConfigId, target, options)
    )

  let dbt: Promise<DbtCalls> | undefined
  const dbtCalls = Effect.promise(() =>
    dbt ??= import("./dbtCalls.ts").then(({ makeDbtCalls }) =>
      makeDbtCalls({ host: settings.host, attempt, retrySettings: { ...settings, minAttemptMillis } })
    )
  )

  return {
    host: settings.host,
    trigger,
    prepareTrigger,
    submitDiffs,
    prepareSubmit,
    listRuns,
    waitForRun,
    uploadDbtArtifacts: (ciConfigId, options) =>
      Effect.flatMap(dbtCalls, (calls) => calls.uploadDbtArtifacts(ciConfigId, options)),
    prepareDbtUpload: (ciConfigId, options) =>
      Effect.flatMap(dbtCalls, (calls) => calls.prepareDbtUpload(ciConfigId, options)),
    checkDbtArtifacts: (ciConfigId, options) =>
      Effect.flatMap(dbtCalls, (calls) => calls.checkDbtArtifacts(ciConfigId, options)),
    checkPrimaryKeys: (ciConfigId, manifest) =>
      Effect.flatMap(dbtCalls, (calls) => calls.checkPrimaryKeys(ciConfigId, manifest))
  }
}
