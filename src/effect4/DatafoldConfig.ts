/**
 * How an Effect 4 `DatafoldClient` is configured: explicit options, or the environment
 * through `Config` (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT`,
 * `DATAFOLD_RETRIES`). The checks and their words are the shared core's; problems are
 * `Config.ConfigError`s naming the variable, as on Effect 3.
 *
 * @since 0.2.0
 */
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import {
  checkApiKeyText,
  checkHost,
  checkRetries,
  DEFAULT_HOST,
  DEFAULT_MILLIS,
  DEFAULT_RETRIES,
  MISSING_API_KEY,
  notPositiveDuration,
  RETRIES_ENV_PROBLEM,
  TIMEOUT_ENV_PROBLEM
} from "../core/settings.ts"

/**
 * Options of a client (`DatafoldClient.Default` reads them from the environment; over an
 * `HttpClient` of your own, `HttpClientOptions` add `transformClient`).
 *
 * @since 0.2.0
 * @category models
 */
export interface DatafoldClientOptions {
  /**
   * The Datafold API key. It stays `Redacted` end to end. Surrounding white space is
   * trimmed; a key that cannot be an HTTP header value, or is too short, is refused.
   */
  readonly apiKey: Redacted.Redacted<string>
  /** The Datafold base URL; default `https://app.datafold.com`. Plain `http://` only for loopback. */
  readonly host?: string | undefined
  /** Per-attempt timeout; default 30 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** Overall deadline across retries; default 2 minutes. */
  readonly deadline?: Duration.Input | undefined
  /** Retries after the first attempt; default 3, `0` disables. */
  readonly retries?: number | undefined
  /** First backoff step; default 500 ms. */
  readonly retryBase?: Duration.Input | undefined
  /** Longest wait between attempts, `Retry-After` included; default 30 seconds. */
  readonly maxRetryDelay?: Duration.Input | undefined
}

/**
 * Options after checking, with every default filled in.
 *
 * @since 0.2.0
 * @category models
 */
export interface ResolvedOptions {
  /** The key as sent: surrounding white space trimmed. */
  readonly apiKey: Redacted.Redacted<string>
  /** Base URL without a trailing slash. */
  readonly host: string
  readonly timeout: Duration.Duration
  readonly deadline: Duration.Duration
  readonly retries: number
  readonly retryBase: Duration.Duration
  readonly maxRetryDelay: Duration.Duration
}

/** One setting's problem, at the path that names it. */
const problemAt = (path: string, message: string): SchemaIssue.Issue =>
  new SchemaIssue.Pointer([path], new SchemaIssue.InvalidValue({ message }))

/** Problems as one `ConfigError`. */
const configError = (issues: readonly [SchemaIssue.Issue, ...Array<SchemaIssue.Issue>]): Config.ConfigError =>
  new Config.ConfigError(
    new Schema.SchemaError(issues.length === 1 ? issues[0] : new SchemaIssue.Composite(Schema.Unknown.ast, issues))
  )

const positiveDuration = (input: Duration.Input): Duration.Duration | undefined => {
  const duration = Option.getOrUndefined(Duration.fromInput(input))
  return duration !== undefined && Duration.isGreaterThan(duration, Duration.zero) ? duration : undefined
}

/**
 * Check options and fill in defaults. Fails with a `ConfigError` that names each bad
 * setting and says what is wrong.
 *
 * @since 0.2.0
 * @category validation
 */
export const resolveOptions = (
  options: DatafoldClientOptions
): Result.Result<ResolvedOptions, Config.ConfigError> => {
  const problems: Array<SchemaIssue.Issue> = []
  const duration = (path: string, label: string, value: Duration.Input | undefined, fallbackMillis: number) => {
    const checked = positiveDuration(value ?? fallbackMillis)
    if (checked === undefined) problems.push(problemAt(path, notPositiveDuration(label)))
    return checked ?? Duration.millis(fallbackMillis)
  }
  const key = checkApiKeyText(Redacted.isRedacted(options.apiKey) ? Redacted.value(options.apiKey) : options.apiKey)
  if (!key.ok) problems.push(problemAt("DATAFOLD_API_KEY", key.problem))
  const host = checkHost(options.host ?? DEFAULT_HOST)
  if (!host.ok) problems.push(problemAt("DATAFOLD_HOST", host.problem))
  const timeout = duration("DATAFOLD_TIMEOUT", "the timeout", options.timeout, DEFAULT_MILLIS.timeout)
  const deadline = duration("deadline", "the deadline", options.deadline, DEFAULT_MILLIS.deadline)
  const retries = checkRetries(options.retries ?? DEFAULT_RETRIES)
  if (!retries.ok) problems.push(problemAt("DATAFOLD_RETRIES", retries.problem))
  const retryBase = duration("retryBase", "retryBase", options.retryBase, DEFAULT_MILLIS.retryBase)
  const maxRetryDelay = duration("maxRetryDelay", "maxRetryDelay", options.maxRetryDelay, DEFAULT_MILLIS.maxRetryDelay)
  const [first, ...rest] = problems
  if (first !== undefined) return Result.fail(configError([first, ...rest]))
  return Result.succeed({
    apiKey: Redacted.make(key.ok ? key.value : ""),
    host: host.ok ? host.value : DEFAULT_HOST,
    timeout,
    deadline,
    retries: retries.ok ? retries.value : DEFAULT_RETRIES,
    retryBase,
    maxRetryDelay
  })
}

/** A setting from `Config` that passes `valid`, else a `ConfigError` naming it with `problem`. */
const checked = <A>(config: Config.Config<A>, path: string, problem: string, valid: (value: A) => boolean) =>
  Config.flatMap(
    config,
    (value) => valid(value) ? Config.succeed(value) : Config.fail(new Schema.SchemaError(problemAt(path, problem)))
  )

/**
 * The API key from `DATAFOLD_API_KEY`, else the obsolete `DATAFOLD_APIKEY`. When
 * neither is set (or both are blank) the error names `DATAFOLD_API_KEY` and says where
 * keys come from.
 *
 * @since 0.2.0
 * @category config
 */
export const apiKeyConfig: Config.Config<Redacted.Redacted<string>> = Config.all([
  Config.option(Config.Redacted("DATAFOLD_API_KEY")),
  Config.option(Config.Redacted("DATAFOLD_APIKEY"))
]).pipe(
  Config.flatMap(([current, obsolete]) => {
    // An empty variable counts as unset, so the obsolete spelling still gets its turn.
    const present = (key: Option.Option<Redacted.Redacted<string>>) =>
      Option.filter(key, (value) => Redacted.value(value).trim().length > 0)
    return Option.match(Option.orElse(present(current), () => present(obsolete)), {
      onNone: () =>
        Config.fail(
          new Schema.SchemaError(
            new SchemaIssue.Pointer(
              ["DATAFOLD_API_KEY"],
              new SchemaIssue.MissingKey({ messageMissingKey: MISSING_API_KEY })
            )
          )
        ),
      onSome: (key) => Config.succeed(key)
    })
  })
)

/**
 * Every setting from the environment: `DATAFOLD_API_KEY` (or `DATAFOLD_APIKEY`),
 * `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT` (seconds, per attempt) and `DATAFOLD_RETRIES`.
 *
 * @since 0.2.0
 * @category config
 */
export const fromEnv: Config.Config<DatafoldClientOptions> = Config.all({
  apiKey: apiKeyConfig,
  host: Config.String("DATAFOLD_HOST").pipe(Config.withDefault(DEFAULT_HOST)),
  timeout: checked(Config.Number("DATAFOLD_TIMEOUT"), "DATAFOLD_TIMEOUT", TIMEOUT_ENV_PROBLEM, (s) => s > 0).pipe(
    Config.map((seconds): Duration.Input => Duration.millis(Math.round(seconds * 1000))),
    Config.withDefault<Duration.Input>(Duration.millis(DEFAULT_MILLIS.timeout))
  ),
  retries: checked(Config.Int("DATAFOLD_RETRIES"), "DATAFOLD_RETRIES", RETRIES_ENV_PROBLEM, (n) => n >= 0 && n <= 10)
    .pipe(Config.withDefault(DEFAULT_RETRIES))
})
