/**
 * The client service itself, built from checked options and a transport: a short
 * composition of the attempt, the retry drivers, the duplicate-run guard and the
 * request builders. Nothing here depends on `@effect/platform`: a client on one of the
 * library's own wires (the CLI's) carries none of its `HttpClient` machinery.
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import { authorizationFor, fixedHeaders, PREPARED_HEADERS } from "../core/requestHeaders.ts"
import {
  listRunsAttributes,
  OPERATIONS,
  submitDiffsAttributes,
  triggerAttributes,
  triggerOutcomeAttributes
} from "../core/operations.ts"
import { makeScrub, type Scrub } from "../core/scrub.ts"
import type { ResolvedOptions } from "../DatafoldConfig.ts"
import type { DatafoldClientService } from "../DatafoldClientService.ts"
import { decodeCiRuns, decodeSubmitCiJob } from "./decodeAnswer.ts"
import { makeAttempt, minimumAttemptMillis, type Send } from "./attempt.ts"
import { makeTriggerCalls } from "./duplicateRun.ts"
import { checkConfigId, checkTrigger, runsRequest } from "./requests.ts"
import { makeRetryDriver } from "./retryDriver.ts"
import { sendOverWire } from "./sendOverWire.ts"
import { isBuiltInTracer, whenTraced } from "./tracing.ts"
import { noRunWaitingFromFailure, noRunWaitingFromJob, uploadRequest, validateSubmit } from "./uploadPolicy.ts"
import type { DbtCalls } from "./dbtCalls.ts"
import type { WireSend } from "./wire.ts"
import { type WireSettings, wireSettings } from "./wireAttempt.ts"

/**
 * How a client's requests travel: straight over one of the library's own wires (the
 * fast path), or through a {@link Send} built for the client's fixed headers and key
 * scrubber (the general path, any `HttpClient`).
 */
export type ServiceTransport =
  | { readonly _tag: "Wire"; readonly wire: WireSend }
  | { readonly _tag: "Send"; readonly sendFor: (headers: Readonly<Record<string, string>>, scrub: Scrub) => Send }

/** A client for checked options (`resolveOptions`) over `transport`. */
export const makeService = (settings: ResolvedOptions, transport: ServiceTransport): DatafoldClientService => {
  const secret = Redacted.value(settings.apiKey)
  const headers = fixedHeaders(authorizationFor(secret))
  const scrub = makeScrub(secret)
  const minAttemptMillis = minimumAttemptMillis(settings)
  const timing = {
    timeout: settings.timeout,
    deadline: settings.deadline,
    minAttemptMillis,
    timeoutMillis: Duration.toMillis(settings.timeout)
  }
  // The wire's settings serve both the attempt and the trigger's one-step first attempt.
  let wire: WireSettings | undefined
  let send: Send
  if (transport._tag === "Wire") {
    wire = wireSettings(transport.wire, headers, scrub)
    send = sendOverWire(wire)
  } else {
    wire = undefined
    send = transport.sendFor(headers, scrub)
  }
  const attempt = makeAttempt(send, timing)
  const triggerCalls = makeTriggerCalls({ ...settings, ...timing, attempt, wire })
  // Drivers (and their schedules) are built once per client, not once per call.
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
    Either.match(checkTrigger(settings.host, ciConfigId, details), {
      onLeft: Effect.fail,
      onRight: ({ body, details, url }) =>
        Effect.succeed({ method: "POST" as const, url, headers: PREPARED_HEADERS, body, details })
    })

  const prepareSubmit: DatafoldClientService["prepareSubmit"] = (ciConfigId, prNumber, diffs) =>
    Either.match(validateSubmit(settings.host, ciConfigId, prNumber, diffs), {
      onLeft: Effect.fail,
      onRight: ({ body, diffs, url }) =>
        Effect.succeed({ method: "POST" as const, url, headers: PREPARED_HEADERS, body, diffs })
    })

  const submitDiffs: DatafoldClientService["submitDiffs"] = (ciConfigId, prNumber, diffs) =>
    Either.match(validateSubmit(settings.host, ciConfigId, prNumber, diffs), {
      onLeft: Effect.fail,
      onRight: (upload) => {
        const request = uploadRequest(upload)
        const call = retries.upload((deadlineAt) => attempt(request, decodeSubmitCiJob, deadlineAt)).pipe(
          Effect.mapError((error) => noRunWaitingFromFailure(error, upload)),
          Effect.flatMap((job) => noRunWaitingFromJob(job, upload))
        )
        return whenTraced(call, () =>
          Effect.withSpan(call, OPERATIONS.submitDiffs.span, {
            kind: "client",
            captureStackTrace: false,
            attributes: submitDiffsAttributes(upload.ciConfigId, upload.prNumber, upload.diffs.length)
          }))
      }
    })

  // The common call (untraced, on the library's own wire, nothing in flight for the
  // commit) makes its first attempt as one step; everything else takes the composition.
  const trigger: DatafoldClientService["trigger"] = (ciConfigId, details) =>
    Effect.withFiberRuntime((fiber) => {
      const checked = checkTrigger(settings.host, ciConfigId, details)
      if (Either.isLeft(checked)) return Effect.fail(checked.left)
      const call = triggerCalls(checked.right)
      if (isBuiltInTracer(fiber.currentTracer)) {
        return call.direct(fiber, Context.get(fiber.currentDefaultServices, Clock.Clock), retries.trigger) ??
          retries.trigger(call.once)
      }
      const { details: valid, id } = checked.right
      return retries.trigger(call.once).pipe(
        Effect.tapBoth({
          onFailure: (error) => Effect.annotateCurrentSpan(triggerOutcomeAttributes(call.attempts(), error)),
          onSuccess: (job) =>
            Effect.annotateCurrentSpan(triggerOutcomeAttributes(call.attempts(), { ciRunId: job.ci_run_id }))
        }),
        Effect.withSpan(OPERATIONS.trigger.span, {
          kind: "client",
          captureStackTrace: false,
          attributes: triggerAttributes(id, valid.pr_number)
        })
      )
    })

  const listRuns: DatafoldClientService["listRuns"] = (ciConfigId, query = {}) =>
    Either.match(checkConfigId(ciConfigId), {
      onLeft: Effect.fail,
      onRight: (id) => {
        const request = runsRequest(settings.host, id, query)
        const call = retries.listRuns((deadlineAt) => attempt(request, decodeCiRuns, deadlineAt))
        return whenTraced(call, () =>
          Effect.withSpan(call, OPERATIONS.listRuns.span, {
            kind: "client",
            captureStackTrace: false,
            attributes: listRunsAttributes(id)
          }))
      }
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
