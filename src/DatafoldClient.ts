/**
 * The Datafold CI client: a service whose calls are `Effect`s with typed errors, built
 * from an `HttpClient` and an API key by {@link DatafoldClient.layer} or
 * {@link DatafoldClient.layerConfig}.
 *
 * @since 0.1.0
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as ConfigError from "effect/ConfigError"
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Runtime from "effect/Runtime"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import { type CiRun, CiRuns } from "./CiRun.ts"
import { pathFor, RUNS_PATH, TRIGGER_PATH } from "./ApiPaths.ts"
import { type DatafoldClientOptions, fromEnv, type ResolvedOptions, resolveOptions } from "./DatafoldConfig.ts"
import { type DatafoldError, DatafoldInputError, DatafoldNetworkError, InputIssue } from "./DatafoldError.ts"
import { interpretResponse } from "./internal/interpretResponse.ts"
import { mayHaveBeenDelivered, retrySchedule } from "./internal/retrySchedule.ts"
import { classifyTransportFailure } from "./internal/transportFailure.ts"
import { CiConfigId, PrDetails, type PrDetailsInput } from "./PrDetails.ts"
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

const TriggerInput = Schema.Struct({ ci_config_id: CiConfigId, ...PrDetails.fields })
const decodeTriggerInput = Schema.decodeUnknownEither(TriggerInput, { errors: "all" })
const decodeListRunsInput = Schema.decodeUnknownEither(Schema.Struct({ ci_config_id: CiConfigId }))
const encodeDetails = Schema.encodeSync(PrDetails)
const decodeSubmitCiJob = Schema.decodeUnknownEither(SubmitCiJob)
const decodeCiRuns = Schema.decodeUnknownEither(CiRuns)

const inputError = (error: ParseResult.ParseError): DatafoldInputError =>
  new DatafoldInputError({
    issues: ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
      new InputIssue({
        field: issue.path.length > 0 ? issue.path.join(".") : "details",
        problem: issue._tag === "Missing" ? "is missing" : issue.message
      })
    )
  })

const validateTrigger = (
  ciConfigId: number,
  details: PrDetailsInput
): Either.Either<{ readonly id: number; readonly details: PrDetails }, DatafoldInputError> => {
  // One flat record, so every bad field, the id included, is named in one error.
  const record = typeof details === "object" && details !== null ? details : {}
  return Either.match(decodeTriggerInput({ ...record, ci_config_id: ciConfigId }), {
    onLeft: (error) => Either.left(inputError(error)),
    onRight: ({ ci_config_id, ...rest }) => Either.right({ id: ci_config_id, details: rest })
  })
}

/**
 * `Effect.timeoutFail` with one forked fiber and one timer. `Effect.timeoutFail` races
 * `self` against a sleeping fiber (two forks, a FiberRefs merge and an Effect timer);
 * here `self` runs in one fiber forked from the current runtime (same context, span and
 * FiberRefs) and a plain timer interrupts it, waiting for its finalizers (the request's
 * abort) before failing with `onTimeout`. The timer is the platform's, so `TestClock`
 * does not move it: tests of timeouts run on real time.
 */
const timeoutFailFast = <A, E, E2>(
  self: Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E2
): Effect.Effect<A, E | E2> =>
  Effect.flatMap(Effect.runtime<never>(), (runtime) =>
    Effect.async<A, E | E2>((resume) => {
      let settled = false
      const fiber = Runtime.runFork(runtime)(self)
      const timer = setTimeout(() => {
        if (settled) return
        settled = true
        resume(Effect.zipRight(Fiber.interrupt(fiber), Effect.fail(onTimeout())))
      }, millis)
      fiber.addObserver((exit) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resume(exit)
      })
      return Effect.suspend(() => {
        settled = true
        clearTimeout(timer)
        return Fiber.interrupt(fiber)
      })
    }))

const addSpanEvent = (name: string, attributes: Record<string, unknown>): Effect.Effect<void> =>
  Effect.currentSpan.pipe(
    Effect.flatMap((span) =>
      Effect.map(Clock.currentTimeNanos, (now) => {
        span.event(name, now, attributes)
      })
    ),
    Effect.ignore
  )

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
    const authorization = `Key ${secret}`
    const mapped = baseClient.pipe(
      HttpClient.mapRequest((request) =>
        request.pipe(
          HttpClientRequest.setHeaders({
            authorization,
            accept: "application/json",
            "user-agent": USER_AGENT
          })
        )
      ),
      // The attempt span above replaces the platform's HTTP span (see `attempt`).
      HttpClient.withTracerDisabledWhen(() => true),
      // Redirects are answered, never followed, so the key cannot travel to another origin.
      HttpClient.transform((effect) =>
        Effect.mapInputContext(effect, (context: Context.Context<never>) =>
          Context.add(context, FetchHttpClient.RequestInit, {
            ...Option.getOrElse(Context.getOption(context, FetchHttpClient.RequestInit), () => ({})),
            redirect: "manual"
          }))
      )
    )
    const client = settings.transformClient === undefined ? mapped : settings.transformClient(mapped)

    const timeoutMillis = Duration.toMillis(settings.timeout)
    const deadlineMillis = Duration.toMillis(settings.deadline)

    /**
     * One attempt: send, read, decode, within the per-attempt timeout or what is left of
     * the overall deadline, whichever ends first. One timer serves both, because each
     * timeout races a fiber of its own and the common call makes a single attempt.
     *
     * It is traced by a span of its own rather than the platform's HTTP span, which
     * records every response header verbatim, and a server could echo the key into one.
     */
    const attempt = <A>(
      request: HttpClientRequest.HttpClientRequest,
      decode: (json: unknown) => Either.Either<A, ParseResult.ParseError>,
      deadlineAt: number
    ): Effect.Effect<A, DatafoldError> =>
      Effect.clockWith((clock) => {
        const remaining = deadlineAt - clock.unsafeCurrentTimeMillis()
        const deadlineFirst = remaining < timeoutMillis
        const timeoutError = () =>
          new DatafoldNetworkError({
            reason: "Timeout",
            url: request.url,
            detail: deadlineFirst
              ? `Gave up after the overall deadline of ${Duration.format(settings.deadline)}`
              : `No answer within ${Duration.format(settings.timeout)}`
          })
        if (remaining <= 0) {
          return Effect.fail(timeoutError())
        }
        return client.execute(request).pipe(
          Effect.catchAll((error) =>
            Effect.fail(
              new DatafoldNetworkError({ ...classifyTransportFailure(error.cause ?? error), url: request.url })
            )
          ),
          Effect.tap((response) =>
            Effect.annotateCurrentSpan("http.response.status_code", response.status)
          ),
          Effect.flatMap((response) => interpretResponse(response, decode, { url: request.url, secret })),
          (effect) => timeoutFailFast(effect, Math.min(remaining, timeoutMillis), timeoutError),
          Effect.withSpan(`DatafoldClient.http ${request.method}`, {
            kind: "client",
            captureStackTrace: false,
            attributes: { "http.request.method": request.method, "url.full": request.url }
          })
        )
      })

    /** The retry schedules, built once per client rather than once per call. */
    const schedules = {
      trigger: retrySchedule(settings, "DatafoldClient.trigger"),
      listRuns: retrySchedule(settings, "DatafoldClient.listRuns")
    }

    /**
     * Retry `run` on the schedule, never starting an attempt, nor waiting, past the
     * overall deadline. The first attempt runs outside `Effect.retry`: the schedule's
     * driver is set up only after a failure (the common call succeeds first time), and
     * that failure is replayed into it so the schedule sees exactly what it used to.
     */
    const withRetries = <A>(
      schedule: Schedule.Schedule<unknown, DatafoldError>,
      run: (deadlineAt: number) => Effect.Effect<A, DatafoldError>
    ): Effect.Effect<A, DatafoldError> =>
      Effect.clockWith((clock) => {
        const deadlineAt = clock.unsafeCurrentTimeMillis() + deadlineMillis
        const attemptOnce = run(deadlineAt)
        if (settings.retries === 0) return attemptOnce
        const untilDeadline = schedule.pipe(
          Schedule.modifyDelay((_, delay) =>
            Duration.min(delay, Duration.millis(Math.max(0, deadlineAt - clock.unsafeCurrentTimeMillis())))
          )
        )
        return Effect.catchAll(attemptOnce, (first) => {
          let replayed = false
          const again = Effect.suspend(() => (replayed ? attemptOnce : ((replayed = true), Effect.fail(first))))
          return Effect.retry(again, {
            schedule: untilDeadline,
            while: () => clock.unsafeCurrentTimeMillis() < deadlineAt
          })
        })
      })

    const runsRequest = (ciConfigId: number, query: ListRunsOptions) =>
      HttpClientRequest.get(`${settings.host}${pathFor(RUNS_PATH, ciConfigId)}`).pipe(
        HttpClientRequest.setUrlParams({
          ...(query.prSha === undefined ? {} : { pr_sha: query.prSha }),
          ...(query.prNumber === undefined ? {} : { pr_num: String(query.prNumber) }),
          ...(query.limit === undefined ? {} : { limit: String(query.limit) }),
          ...(query.offset === undefined ? {} : { offset: String(query.offset) })
        })
      )

    const prepare = (ciConfigId: number, details: PrDetailsInput) =>
      Either.map(validateTrigger(ciConfigId, details), (valid) => {
        const url = `${settings.host}${pathFor(TRIGGER_PATH, valid.id)}`
        const body = JSON.stringify(encodeDetails(valid.details))
        return { ...valid, url, body }
      })

    const prepareTrigger: DatafoldClientService["prepareTrigger"] = (ciConfigId, details) =>
      Either.match(prepare(ciConfigId, details), {
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
        const prepared = prepare(ciConfigId, details)
        if (Either.isLeft(prepared)) return Effect.fail(prepared.left)
        const { body, details: valid, id, url } = prepared.right
        const request = HttpClientRequest.post(url).pipe(HttpClientRequest.bodyText(body, "application/json"))
        let attempts = 0
        let maybeDelivered = false
        const lookForExistingRun = (deadlineAt: number) =>
          attempt(
            runsRequest(id, { prSha: valid.pr_sha, prNumber: valid.pr_number }),
            decodeCiRuns,
            deadlineAt
          ).pipe(
            Effect.map((runs) =>
              runs.find((run) => run.pr_sha.toLowerCase() === valid.pr_sha && run.pr_num === String(valid.pr_number))
            )
          )
        const once = (deadlineAt: number) =>
          Effect.suspend(() => {
            attempts += 1
            // After an attempt that may have started a run, look before triggering again.
            const existing = maybeDelivered ? lookForExistingRun(deadlineAt) : Effect.succeed(undefined)
            return Effect.flatMap(existing, (run) => {
              if (run !== undefined) {
                return Effect.logInfo("Datafold already started a run for this PR and SHA; returning it").pipe(
                  Effect.annotateLogs({ "datafold.ci_run_id": run.id, "datafold.pr_number": valid.pr_number }),
                  Effect.zipRight(addSpanEvent("datafold.trigger.deduplicated", { "datafold.ci_run_id": run.id })),
                  Effect.as(new SubmitCiJob({ ci_run_id: run.id, run_id: null }))
                )
              }
              return attempt(request, decodeSubmitCiJob, deadlineAt).pipe(
                Effect.tapError((error) =>
                  Effect.sync(() => {
                    if (mayHaveBeenDelivered(error)) maybeDelivered = true
                  })
                )
              )
            })
          })
        return withRetries(schedules.trigger, once).pipe(
          Effect.tapBoth({
            onFailure: (error) =>
              Effect.annotateCurrentSpan({ "datafold.attempts": attempts, "datafold.outcome": error._tag }),
            onSuccess: (job) =>
              Effect.annotateCurrentSpan({
                "datafold.attempts": attempts,
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
      Either.match(decodeListRunsInput({ ci_config_id: ciConfigId }), {
        onLeft: (error) => Effect.fail(inputError(error)),
        onRight: ({ ci_config_id: id }) => {
          const request = runsRequest(id, query)
          return withRetries(schedules.listRuns, (deadlineAt) => attempt(request, decodeCiRuns, deadlineAt))
            .pipe(
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
