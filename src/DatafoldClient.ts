/**
 * The Datafold CI client: a service whose calls are `Effect`s with typed errors, built
 * from an `HttpClient` and an API key by {@link DatafoldClient.layer} or
 * {@link DatafoldClient.layerConfig}.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Cause from "effect/Cause"
import * as ConfigError from "effect/ConfigError"
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import type { CiDiff, CiDiffInput } from "./CiDiff.ts"
import { type CiRun, CiRuns } from "./CiRun.ts"
import { type DatafoldClientOptions, fromEnv, type ResolvedOptions, resolveOptions } from "./DatafoldConfig.ts"
import type { DatafoldError, DatafoldInputError } from "./DatafoldError.ts"
import { authorizationFor, fixedHeaders, PREPARED_HEADERS } from "./core/requestHeaders.ts"
import { retryTransient, retryUndelivered } from "./core/retryPolicy.ts"
import { makeScrub } from "./core/scrub.ts"
import { environmentUnreadable } from "./core/settings.ts"
import type { DatafoldNoRunWaitingError } from "./DatafoldNoRunWaitingError.ts"
import { makeAttempt, minimumAttemptMillis } from "./internal/attempt.ts"
import { authorizedClient } from "./internal/authorizedClient.ts"
import { makeTriggerCalls } from "./internal/duplicateRun.ts"
import * as FetchTransport from "./internal/fetchTransport.ts"
import { checkConfigId, checkTrigger, runsRequest } from "./internal/requests.ts"
import { makeRetryDriver } from "./internal/retryDriver.ts"
import { whenTraced } from "./internal/tracing.ts"
import { wireOf } from "./internal/wire.ts"
import { noRunWaitingFromFailure, noRunWaitingFromJob, uploadRequest, validateSubmit } from "./internal/uploadPolicy.ts"
import type { PrDetails, PrDetailsInput } from "./PrDetails.ts"
import { SubmitCiJob } from "./SubmitCiJob.ts"

/**
 * A trigger request exactly as it would be sent, with the key redacted: what the CLI's
 * `--dry-run` prints.
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedTrigger {
  readonly method: "POST"
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The JSON body, as sent. */
  readonly body: string
  /** The validated details (SHAs in lower case). */
  readonly details: PrDetails
}

/**
 * An upload of diffs exactly as it would be sent, with the key redacted: what the CLI's
 * `--dry-run` prints for `submit`.
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedSubmit {
  readonly method: "POST"
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** The JSON body, as sent. */
  readonly body: string
  /** The validated diffs, defaults filled in. */
  readonly diffs: ReadonlyArray<CiDiff>
}

/**
 * Filters for {@link DatafoldClientService.listRuns}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListRunsOptions {
  readonly prSha?: string | undefined
  readonly prNumber?: number | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

/**
 * What a `DatafoldClient` can do.
 *
 * @since 0.1.0
 * @category models
 */
export interface DatafoldClientService {
  /** The base URL calls go to, without a trailing slash. */
  readonly host: string
  /**
   * Start a PR/MR run: `POST /api/v1/ci/{ciConfigId}/trigger`. Bad input fails with
   * `DatafoldInputError` before anything is sent. Transient failures are retried; when
   * an attempt may have reached Datafold, the next one first looks for the run it
   * started and returns that run instead of starting a second.
   */
  readonly trigger: (ciConfigId: number, details: PrDetailsInput) => Effect.Effect<SubmitCiJob, DatafoldError>
  /** The request `trigger` would send, without sending it. */
  readonly prepareTrigger: (
    ciConfigId: number,
    details: PrDetailsInput
  ) => Effect.Effect<PreparedTrigger, DatafoldInputError>
  /**
   * Upload PR/MR changes: `POST /api/v1/ci/{ciConfigId}/{prNumber}` with the tables to
   * diff, attached to the CI run waiting for that pull request. Bad input (no diffs, a
   * blank table path, a repeated key column) fails with `DatafoldInputError` before
   * anything is sent. When no run is waiting it fails with `DatafoldNoRunWaitingError`:
   * trigger first. Only failures after which the upload surely did not arrive are retried.
   */
  readonly submitDiffs: (
    ciConfigId: number,
    prNumber: number,
    diffs: ReadonlyArray<CiDiffInput>
  ) => Effect.Effect<SubmitCiJob, DatafoldError | DatafoldNoRunWaitingError>
  /** The request `submitDiffs` would send, without sending it. */
  readonly prepareSubmit: (
    ciConfigId: number,
    prNumber: number,
    diffs: ReadonlyArray<CiDiffInput>
  ) => Effect.Effect<PreparedSubmit, DatafoldInputError>
  /** `GET /api/v1/ci/{ciConfigId}/runs`, filtered by PR SHA and number. */
  readonly listRuns: (
    ciConfigId: number,
    options?: ListRunsOptions
  ) => Effect.Effect<ReadonlyArray<CiRun>, DatafoldError>
}

const decodeCiRuns = Schema.decodeUnknownEither(CiRuns)
const decodeSubmitCiJob = Schema.decodeUnknownEither(SubmitCiJob)

/**
 * Build a client from options, using the `HttpClient` in context. Fails with a
 * `ConfigError` when an option is invalid (an empty key, a plain-http host that is not
 * loopback, a non-positive timeout).
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: DatafoldClientOptions
): Effect.Effect<DatafoldClientService, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function* () {
    const settings: ResolvedOptions = yield* resolveOptions(options)
    const baseClient = yield* HttpClient.HttpClient
    const secret = Redacted.value(settings.apiKey)
    const headers = fixedHeaders(authorizationFor(secret))
    const authorized = authorizedClient(baseClient, headers)
    const client = settings.transformClient === undefined ? authorized : settings.transformClient(authorized)
    const minAttemptMillis = minimumAttemptMillis(settings)
    const attempt = makeAttempt({
      client,
      // A user's transformClient is honoured by the general path; else the library's own
      // transport (the default fetch, the Node layer) sends straight over its wire.
      wire: settings.transformClient === undefined ? wireOf(baseClient) : undefined,
      headers,
      timeout: settings.timeout,
      deadline: settings.deadline,
      minAttemptMillis,
      scrub: makeScrub(secret)
    })
    const triggerCalls = makeTriggerCalls({ ...settings, attempt, minAttemptMillis })
    // Drivers (and their schedules) are built once per client, not once per call.
    const retries = {
      trigger: makeRetryDriver({ ...settings, minAttemptMillis }, "DatafoldClient.trigger", retryTransient),
      listRuns: makeRetryDriver({ ...settings, minAttemptMillis }, "DatafoldClient.listRuns", retryTransient),
      // No lookup can find an upload that arrived, so only what surely did not is retried.
      upload: makeRetryDriver({ ...settings, minAttemptMillis }, "DatafoldClient.submitDiffs", retryUndelivered)
    }
    const redactedHeaders = PREPARED_HEADERS

    const prepareTrigger: DatafoldClientService["prepareTrigger"] = (ciConfigId, details) =>
      Either.match(checkTrigger(settings.host, ciConfigId, details), {
        onLeft: Effect.fail,
        onRight: ({ body, details, url }) =>
          Effect.succeed({ method: "POST" as const, url, headers: redactedHeaders, body, details })
      })

    const prepareSubmit: DatafoldClientService["prepareSubmit"] = (ciConfigId, prNumber, diffs) =>
      Either.match(validateSubmit(settings.host, ciConfigId, prNumber, diffs), {
        onLeft: Effect.fail,
        onRight: ({ body, diffs, url }) =>
          Effect.succeed({ method: "POST" as const, url, headers: redactedHeaders, body, diffs })
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
            Effect.withSpan(call, "DatafoldClient.submitDiffs", {
              kind: "client",
              captureStackTrace: false,
              attributes: {
                "datafold.ci_config_id": upload.ciConfigId,
                "datafold.pr_number": upload.prNumber,
                "datafold.diffs": upload.diffs.length
              }
            }))
        }
      })

    const trigger: DatafoldClientService["trigger"] = (ciConfigId, details) =>
      Effect.suspend(() => {
        const checked = checkTrigger(settings.host, ciConfigId, details)
        if (Either.isLeft(checked)) return Effect.fail(checked.left)
        const { details: valid, id } = checked.right
        const call = triggerCalls(checked.right)
        const run = retries.trigger(call.once)
        return whenTraced(run, () =>
          run.pipe(
            Effect.tapBoth({
              onFailure: (error) =>
                Effect.annotateCurrentSpan({ "datafold.attempts": call.attempts(), "datafold.outcome": error._tag }),
              onSuccess: (job) =>
                Effect.annotateCurrentSpan({
                  "datafold.attempts": call.attempts(),
                  "datafold.outcome": "triggered",
                  "datafold.ci_run_id": job.ci_run_id ?? "null"
                })
            }),
            Effect.withSpan("DatafoldClient.trigger", {
              kind: "client",
              captureStackTrace: false,
              attributes: { "datafold.ci_config_id": id, "datafold.pr_number": valid.pr_number }
            })
          ))
      })

    const listRuns: DatafoldClientService["listRuns"] = (ciConfigId, query = {}) =>
      Either.match(checkConfigId(ciConfigId), {
        onLeft: Effect.fail,
        onRight: (id) => {
          const request = runsRequest(settings.host, id, query)
          const call = retries.listRuns((deadlineAt) => attempt(request, decodeCiRuns, deadlineAt))
          return whenTraced(call, () =>
            Effect.withSpan(call, "DatafoldClient.listRuns", {
              kind: "client",
              captureStackTrace: false,
              attributes: { "datafold.ci_config_id": id }
            }))
        }
      })

    return { host: settings.host, trigger, prepareTrigger, submitDiffs, prepareSubmit, listRuns }
  })

const DatafoldClientTag: Context.TagClass<DatafoldClient, "effect-datafold/DatafoldClient", DatafoldClientService> =
  Context.Tag("effect-datafold/DatafoldClient")<DatafoldClient, DatafoldClientService>()

/**
 * Read the configuration, turning a runtime that refuses to show the environment (Deno
 * without `--allow-env` for these variables throws) into a `ConfigError` that says so,
 * instead of a defect.
 */
const readConfig = <A>(config: Config.Config<A>): Effect.Effect<A, ConfigError.ConfigError> =>
  Effect.catchAllDefect(config, (defect) =>
    Effect.fail(
      ConfigError.SourceUnavailable(
        [],
        environmentUnreadable(defect instanceof Error ? defect.message : String(defect)),
        Cause.die(defect)
      )
    ))

/**
 * The `DatafoldClient` service.
 *
 * @since 0.1.0
 * @category tags
 */
export class DatafoldClient extends DatafoldClientTag {
  /**
   * A layer from explicit options; needs an `HttpClient`.
   *
   * @since 0.1.0
   */
  static readonly layer = (
    options: DatafoldClientOptions
  ): Layer.Layer<DatafoldClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.effect(DatafoldClient, make(options))

  /**
   * A layer reading its options from `Config`: by default the environment
   * (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT`, `DATAFOLD_RETRIES`).
   * Needs an `HttpClient`.
   *
   * @since 0.1.0
   */
  static readonly layerConfig = (
    config: Config.Config<DatafoldClientOptions> = fromEnv
  ): Layer.Layer<DatafoldClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
    Layer.effect(DatafoldClient, Effect.flatMap(readConfig(config), make))

  /**
   * {@link DatafoldClient.layerConfig} over the environment with the portable
   * `fetch`-based `HttpClient` already provided: needs nothing. (On Node,
   * `effect-datafold/node`'s `Default` is faster.)
   *
   * @since 0.1.0
   */
  static readonly Default: Layer.Layer<DatafoldClient, ConfigError.ConfigError> = Layer.provide(
    DatafoldClient.layerConfig(),
    FetchTransport.layer
  )
}

/**
 * Start a PR/MR run with the `DatafoldClient` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const triggerCiRun = (
  ciConfigId: number,
  details: PrDetailsInput
): Effect.Effect<SubmitCiJob, DatafoldError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.trigger(ciConfigId, details))

/**
 * Upload PR/MR changes (the tables to diff) with the `DatafoldClient` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const submitCiDiffs = (
  ciConfigId: number,
  prNumber: number,
  diffs: ReadonlyArray<CiDiffInput>
): Effect.Effect<SubmitCiJob, DatafoldError | DatafoldNoRunWaitingError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.submitDiffs(ciConfigId, prNumber, diffs))

/**
 * List CI runs with the `DatafoldClient` in context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const listCiRuns = (
  ciConfigId: number,
  options?: ListRunsOptions
): Effect.Effect<ReadonlyArray<CiRun>, DatafoldError, DatafoldClient> =>
  Effect.flatMap(DatafoldClient, (client) => client.listRuns(ciConfigId, options))
