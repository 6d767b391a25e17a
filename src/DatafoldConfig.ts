/**
 * How a `DatafoldClient` is configured: explicit options, or the environment through
 * `Config` (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT`, `DATAFOLD_RETRIES`).
 *
 * @since 0.1.0
 */
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type { Checked } from "./core/checked.ts"
import {
  checkApiKeyText,
  checkHost,
  checkRetries,
  DEFAULT_HOST as CORE_DEFAULT_HOST,
  DEFAULT_MILLIS,
  DEFAULT_RETRIES,
  MIN_API_KEY_LENGTH as CORE_MIN_API_KEY_LENGTH,
  MISSING_API_KEY,
  notPositiveDuration,
  RETRIES_ENV_PROBLEM,
  TIMEOUT_ENV_PROBLEM
} from "./core/settings.ts"

/**
 * Datafold's multi-tenant host, used when no other is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_HOST: typeof CORE_DEFAULT_HOST = CORE_DEFAULT_HOST

/**
 * Defaults for the tunable settings.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULTS: {
  /** Per attempt. */
  readonly timeout: Duration.Duration
  /** Across all attempts and the waits between them. */
  readonly deadline: Duration.Duration
  /** Retries after the first attempt. */
  readonly retries: typeof DEFAULT_RETRIES
  /** The first backoff step; later steps double it, with full jitter. */
  readonly retryBase: Duration.Duration
  /** The longest wait between attempts, `Retry-After` included. */
  readonly maxRetryDelay: Duration.Duration
} = {
  timeout: Duration.millis(DEFAULT_MILLIS.timeout),
  deadline: Duration.millis(DEFAULT_MILLIS.deadline),
  retries: DEFAULT_RETRIES,
  retryBase: Duration.millis(DEFAULT_MILLIS.retryBase),
  maxRetryDelay: Duration.millis(DEFAULT_MILLIS.maxRetryDelay)
}

/**
 * The shortest API key the client accepts. Datafold does not document its key format;
 * a value this short is most likely a truncated paste or a placeholder, and scrubbing
 * so short a string from error messages would mangle ordinary words instead of hiding
 * a secret.
 *
 * @since 0.1.0
 * @category constants
 */
export const MIN_API_KEY_LENGTH: typeof CORE_MIN_API_KEY_LENGTH = CORE_MIN_API_KEY_LENGTH

/**
 * Options of a client (`DatafoldClient.Default` reads them from the environment; over an
 * `HttpClient` of your own, `effect-datafold/api`'s `HttpClientOptions` add `transformClient`).
 *
 * @since 0.1.0
 * @category models
 */
export interface DatafoldClientOptions {
  /**
   * The Datafold API key. It stays `Redacted` end to end. Surrounding white space is
   * trimmed; a key that cannot be an HTTP header value, or is shorter than
   * {@link MIN_API_KEY_LENGTH}, is refused. (A plain string from JavaScript is wrapped.)
   */
  readonly apiKey: Redacted.Redacted<string>
  /** The Datafold base URL; default `https://app.datafold.com`. Plain `http://` only for loopback. */
  readonly host?: string | undefined
  /** Per-attempt timeout; default 30 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Overall deadline across retries; default 2 minutes. */
  readonly deadline?: Duration.DurationInput | undefined
  /** Retries after the first attempt; default 3, `0` disables. */
  readonly retries?: number | undefined
  /** First backoff step; default 500 ms. */
  readonly retryBase?: Duration.DurationInput | undefined
  /** Longest wait between attempts, `Retry-After` included; default 30 seconds. */
  readonly maxRetryDelay?: Duration.DurationInput | undefined
}

/**
 * Options after checking, with every default filled in.
 *
 * @since 0.1.0
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

/** A shared check's result as an `Either`. */
const toEither = <A>(checked: Checked<A>): Either.Either<A, string> =>
  checked.ok ? Either.right(checked.value) : Either.left(checked.problem)

/**
 * Check a host: an absolute `https://` URL, or `http://` on loopback only, so the key
 * never crosses a network in clear text. It is an origin: the client adds the API's
 * paths (`/api/v1/…`) itself. Gives the origin, without a trailing slash. Messages
 * never repeat credentials written into the URL.
 *
 * @example
 * ```ts
 * import { Either } from "effect"
 * import { parseHost } from "effect-datafold"
 *
 * console.log(parseHost("https://acme.datafold.com/")) // Right: "https://acme.datafold.com"
 * console.log(Either.isLeft(parseHost("http://datafold.internal"))) // true: plain http is for loopback only
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const parseHost = (host: string): Either.Either<string, string> => toEither(checkHost(host))

/**
 * Check an API key: a `Redacted` string (a plain string from JavaScript is accepted
 * and wrapped), surrounding white space trimmed, only visible ASCII characters (what an
 * HTTP header can carry, without spaces), at least {@link MIN_API_KEY_LENGTH} long.
 * Gives the key as it will be sent. Messages never repeat the key.
 *
 * @example
 * ```ts
 * import { Either, Redacted } from "effect"
 * import { checkApiKey } from "effect-datafold"
 *
 * const key = checkApiKey(`  ${process.env.MY_DATAFOLD_KEY ?? ""}\n`)
 * if (Either.isLeft(key)) console.error(key.left) // says what is wrong, never the key
 * else console.log(Redacted.value(key.right).length)
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const checkApiKey = (input: unknown): Either.Either<Redacted.Redacted<string>, string> =>
  Either.map(toEither(checkApiKeyText(Redacted.isRedacted(input) ? Redacted.value(input) : input)), Redacted.make)

const positiveDuration = (name: string, input: Duration.DurationInput): Either.Either<Duration.Duration, string> =>
  Duration.decodeUnknown(input).pipe(
    (option) =>
      option._tag === "Some" && Duration.greaterThan(option.value, Duration.zero)
        ? Either.right(option.value)
        : Either.left(notPositiveDuration(name))
  )

/**
 * Check options and fill in defaults. Fails with a `ConfigError` that names the
 * setting and says what is wrong.
 *
 * @example
 * ```ts
 * import { Either, Redacted } from "effect"
 * import { resolveOptions } from "effect-datafold"
 *
 * const options = resolveOptions({ apiKey: Redacted.make("too-short"), timeout: "0 seconds" })
 * if (Either.isLeft(options)) console.error(String(options.left)) // names DATAFOLD_API_KEY and DATAFOLD_TIMEOUT
 * ```
 *
 * @since 0.1.0
 * @category validation
 */
export const resolveOptions = (
  options: DatafoldClientOptions
): Either.Either<ResolvedOptions, ConfigError.ConfigError> => {
  const problems: Array<[string, string]> = []
  const check = <A>(path: string, result: Either.Either<A, string>, fallback: A): A =>
    Either.getOrElse(Either.mapLeft(result, (message) => problems.push([path, message])), () => fallback)
  const duration = (
    path: string,
    label: string,
    value: Duration.DurationInput | undefined,
    fallback: Duration.Duration
  ) => check(path, positiveDuration(label, value ?? fallback), fallback)
  const retries = options.retries ?? DEFAULTS.retries
  const resolved: ResolvedOptions = {
    apiKey: check("DATAFOLD_API_KEY", checkApiKey(options.apiKey), options.apiKey),
    host: check("DATAFOLD_HOST", parseHost(options.host ?? DEFAULT_HOST), DEFAULT_HOST),
    timeout: duration("DATAFOLD_TIMEOUT", "the timeout", options.timeout, DEFAULTS.timeout),
    deadline: duration("deadline", "the deadline", options.deadline, DEFAULTS.deadline),
    retries: check(
      "DATAFOLD_RETRIES",
      toEither(checkRetries(retries)),
      DEFAULTS.retries
    ),
    retryBase: duration("retryBase", "retryBase", options.retryBase, DEFAULTS.retryBase),
    maxRetryDelay: duration("maxRetryDelay", "maxRetryDelay", options.maxRetryDelay, DEFAULTS.maxRetryDelay)
  }
  if (problems.length === 0) return Either.right(resolved)
  const errors = problems.map(([path, message]) => ConfigError.InvalidData([path], message))
  return Either.left(errors.reduce((left, right) => ConfigError.And(left, right)))
}

/**
 * The API key from `DATAFOLD_API_KEY`, else the obsolete `DATAFOLD_APIKEY`. When
 * neither is set the error names `DATAFOLD_API_KEY` and says where keys come from.
 *
 * @since 0.1.0
 * @category config
 */
export const apiKeyConfig: Config.Config<Redacted.Redacted<string>> = Config.all([
  Config.option(Config.redacted("DATAFOLD_API_KEY")),
  Config.option(Config.redacted("DATAFOLD_APIKEY"))
]).pipe(
  Config.mapOrFail(([current, obsolete]) => {
    // An empty variable counts as unset, so the obsolete spelling still gets its turn.
    const present = (key: Option.Option<Redacted.Redacted<string>>) =>
      Option.filter(key, (value) => Redacted.value(value).trim().length > 0)
    return Option.match(Option.orElse(present(current), () => present(obsolete)), {
      onNone: () =>
        Either.left(
          ConfigError.MissingData(
            ["DATAFOLD_API_KEY"],
            MISSING_API_KEY
          )
        ),
      onSome: Either.right
    })
  })
)

/**
 * Every setting from the environment: `DATAFOLD_API_KEY` (or `DATAFOLD_APIKEY`),
 * `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT` (seconds, per attempt) and `DATAFOLD_RETRIES`.
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Config, ConfigProvider, Effect, Layer } from "effect"
 * import { fromEnv, listCiRuns } from "effect-datafold"
 * import { clientLayerConfig } from "effect-datafold/api"
 *
 * // The usual settings under a prefix of your own: ACME_DATAFOLD_API_KEY, ACME_DATAFOLD_HOST ...
 * const DatafoldLive = clientLayerConfig(Config.nested(fromEnv, "ACME")).pipe(
 *   Layer.provide(FetchHttpClient.layer),
 *   Layer.provide(Layer.setConfigProvider(ConfigProvider.fromEnv({ pathDelim: "_" })))
 * )
 *
 * const runs = await Effect.runPromise(listCiRuns(1234).pipe(Effect.provide(DatafoldLive)))
 * ```
 *
 * @since 0.1.0
 * @category config
 */
export const fromEnv: Config.Config<DatafoldClientOptions> = Config.all({
  apiKey: apiKeyConfig,
  host: Config.string("DATAFOLD_HOST").pipe(Config.withDefault(DEFAULT_HOST)),
  timeout: Config.number("DATAFOLD_TIMEOUT").pipe(
    Config.validate({ message: TIMEOUT_ENV_PROBLEM, validation: (seconds) => seconds > 0 }),
    Config.map((seconds): Duration.DurationInput => Duration.millis(Math.round(seconds * 1000))),
    Config.withDefault<Duration.DurationInput>(DEFAULTS.timeout)
  ),
  retries: Config.integer("DATAFOLD_RETRIES").pipe(
    Config.validate({ message: RETRIES_ENV_PROBLEM, validation: (n) => n >= 0 && n <= 10 }),
    Config.withDefault(DEFAULTS.retries)
  )
})
