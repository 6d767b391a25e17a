/**
 * The Datafold CI client: a service whose calls are `Effect`s with typed errors, built
 * from an `HttpClient` and an API key by {@link DatafoldClient.layer} or
 * {@link DatafoldClient.layerConfig}.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
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
import { type CiRun, CiRuns } from "./CiRun.ts"
import { type DatafoldClientOptions, fromEnv, type ResolvedOptions, resolveOptions } from "./DatafoldConfig.ts"
import type { DatafoldError, DatafoldInputError } from "./DatafoldError.ts"
import { makeAttempt, minimumAttemptMillis } from "./internal/attempt.ts"
import { authorizedClient } from "./internal/authorizedClient.ts"
import { makeTriggerCalls } from "./internal/duplicateRun.ts"
import { checkConfigId, checkTrigger, runsRequest } from "./internal/requests.ts"
import { makeScrub } from "./internal/scrub.ts"
import { makeRetryDriver } from "./internal/retryDriver.ts"
import { retryTransient } from "./internal/retryPolicy.ts"
import type { PrDetails, PrDetailsInput } from "./PrDetails.ts"
import { SubmitCiJob } from "./SubmitCiJob.ts"
import { USER_AGENT } from "./version.ts"

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
  /** `GET /api/v1/ci/{ciConfigId}/runs`, filtered by PR SHA and number. */
  readonly listRuns: (
    ciConfigId: number,
    options?: ListRunsOptions
  ) => Effect.Effect<ReadonlyArray<CiRun>, DatafoldError>
}

const decodeCiRuns = Schema.decodeUnknownEither(CiRuns)

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
    const authorized = authorizedClient(baseClient, `Key ${secret}`)
    const client = settings.transformClient === undefined ? authorized : settings.transformClient(authorized)
    const minAttemptMillis = minimumAttemptMillis(settings)
    const attempt = makeAttempt({
      client,
      timeout: settings.timeout,
      deadline: settings.deadline,
      minAttemptMillis,
      scrub: makeScrub(secret)
    })
    const triggerCalls = makeTriggerCalls({ ...settings, attempt, minAttemptMillis })
    // Drivers (and their schedules) are built once per client, not once per call.
    const retries = {
      trigger: makeRetryDriver({ ...settings, minAttemptMillis }, "DatafoldClient.trigger", retryTransient),
      listRuns: makeRetryDriver({ ...settings, minAttemptMillis }, "DatafoldClient.listRuns", retryTransient)
    }

    const prepareTrigger: DatafoldClientService["prepareTrigger"] = (ciConfigId, details) =>
      Either.match(checkTrigger(settings.host, ciConfigId, details), {
        onLeft: Effect.fail,
        onRight: ({ body, details, url }) =>
          Effect.succeed({
            method: "POST" as const,
            url,
            headers: {
              authorization: "Key <redacted>",
              "content-type": "application/json",
              accept: "application/json",
              "user-agent": USER_AGENT
            },
            body,
            details
          })
      })

    const trigger: DatafoldClientService["trigger"] = (ciConfigId, details) =>
      Effect.suspend(() => {
        const checked = checkTrigger(settings.host, ciConfigId, details)
        if (Either.isLeft(checked)) return Effect.fail(checked.left)
        const { details: valid, id } = checked.right
        const call = triggerCalls(checked.right)
        return retries.trigger(call.once).pipe(
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
        )
      })

    const listRuns: DatafoldClientService["listRuns"] = (ciConfigId, query = {}) =>
      Either.match(checkConfigId(ciConfigId), {
        onLeft: Effect.fail,
        onRight: (id) => {
          const request = runsRequest(settings.host, id, query)
          return retries.listRuns((deadlineAt) => attempt(request, decodeCiRuns, deadlineAt)).pipe(
            Effect.withSpan("DatafoldClient.listRuns", {
              kind: "client",
              captureStackTrace: false,
              attributes: { "datafold.ci_config_id": id }
            })
          )
        }
      })

    return { host: settings.host, trigger, prepareTrigger, listRuns }
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
        `the environment could not be read (${
          defect instanceof Error ? defect.message : String(defect)
        }); on Deno, allow it with --allow-env=DATAFOLD_API_KEY,DATAFOLD_APIKEY,DATAFOLD_HOST,DATAFOLD_TIMEOUT,DATAFOLD_RETRIES`,
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
   * `fetch`-based `HttpClient` already provided: needs nothing.
   *
   * @since 0.1.0
   */
  static readonly Default: Layer.Layer<DatafoldClient, ConfigError.ConfigError> = Layer.provide(
    DatafoldClient.layerConfig(),
    FetchHttpClient.layer
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
