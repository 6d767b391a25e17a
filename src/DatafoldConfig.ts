/**
 * How a `DatafoldClient` is configured: explicit options, or the environment through
 * `Config` (`DATAFOLD_API_KEY`, `DATAFOLD_HOST`, `DATAFOLD_TIMEOUT`, `DATAFOLD_RETRIES`).
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/**
 * Datafold's multi-tenant host, used when no other is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_HOST = "https://app.datafold.com"

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
  readonly retries: 3
  /** The first backoff step; later steps double it, with full jitter. */
  readonly retryBase: Duration.Duration
  /** The longest wait between attempts, `Retry-After` included. */
  readonly maxRetryDelay: Duration.Duration
} = {
  timeout: Duration.seconds(30),
  deadline: Duration.minutes(2),
  retries: 3,
  retryBase: Duration.millis(500),
  maxRetryDelay: Duration.seconds(30)
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
export const MIN_API_KEY_LENGTH = 16

/**
 * Options for `DatafoldClient.layer`.
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
  /** A hook to adapt the underlying `HttpClient` (proxies, extra headers, tracing). */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
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
  readonly transformClient: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" ||
  hostname === "[::1]" ||
  /^127(?:\.\d{1,3}){3}$/.test(hostname)

/** The host as it may be shown: any `user:password@` part removed. */
const shownHost = (host: string): string => host.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, "$1")

/**
 * Check a host: an absolute `https://` URL, or `http://` on loopback only, so the key
 * never crosses a network in clear text. It is an origin: the client adds the API's
 * paths (`/api/v1/…`) itself. Gives the origin, without a trailing slash. Messages
 * never repeat credentials written into the URL.
 *
 * @since 0.1.0
 * @category validation
 */
export const parseHost = (host: string): Either.Either<string, string> => {
  const shown = shownHost(host)
  let url: URL
  try {
    url = new URL(host.trim())
  } catch {
    return Either.left(`the host ${shown} is not an absolute URL such as ${DEFAULT_HOST}`)
  }
  if (url.username !== "" || url.password !== "") {
    return Either.left(
      `the host ${shown} must not carry credentials (user:password@); the API key is the only credential, set it in DATAFOLD_API_KEY`
    )
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return Either.left(`the host ${shown} must use https://`)
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return Either.left(
      `the host ${shown} uses plain http://, which would send the API key in clear text; use https:// (plain http is allowed only for localhost, 127.0.0.0/8 and [::1])`
    )
  }
  if (url.search !== "" || url.hash !== "") {
    return Either.left(`the host ${url.origin}${url.pathname} must not carry a query or a fragment`)
  }
  if (url.pathname !== "/") {
    return Either.left(
      `the host ${url.origin}${url.pathname} has a path, but the host is an origin such as ${DEFAULT_HOST}: the client adds /api/v1/… itself; use ${url.origin}`
    )
  }
  return Either.right(url.origin)
}

/**
 * Check an API key: a `Redacted` string (a plain string from JavaScript is accepted
 * and wrapped), surrounding white space trimmed, only visible ASCII characters (what an
 * HTTP header can carry, without spaces), at least {@link MIN_API_KEY_LENGTH} long.
 * Gives the key as it will be sent. Messages never repeat the key.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkApiKey = (input: unknown): Either.Either<Redacted.Redacted<string>, string> => {
  const value = Redacted.isRedacted(input) ? Redacted.value(input) : input
  if (typeof value !== "string") {
    return Either.left("the API key must be a string; pass apiKey: Redacted.make(key)")
  }
  const key = value.trim()
  if (key.length === 0) return Either.left("the API key is empty")
  if (/[^\x21-\x7e]/.test(key)) {
    return Either.left(
      "the API key holds a character that cannot be sent in an HTTP header (a line break, a control character, an inner space or a non-ASCII character); copy the key again from Datafold"
    )
  }
  if (key.length < MIN_API_KEY_LENGTH) {
    return Either.left(
      `the API key is shorter than ${MIN_API_KEY_LENGTH} characters, too short to be a Datafold API key; check that the whole key was copied`
    )
  }
  return Either.right(Redacted.make(key))
}

const positiveDuration = (name: string, input: Duration.DurationInput): Either.Either<Duration.Duration, string> =>
  Duration.decodeUnknown(input).pipe(
    (option) =>
      option._tag === "Some" && Duration.greaterThan(option.value, Duration.zero)
        ? Either.right(option.value)
        : Either.left(`${name} must be a positive duration`)
  )

/**
 * Check options and fill in defaults. Fails with a `ConfigError` that names the
 * setting and says what is wrong.
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
      Number.isInteger(retries) && retries >= 0 && retries <= 10
        ? Either.right(retries)
        : Either.left("retries must be a whole number from 0 to 10"),
      DEFAULTS.retries
    ),
    retryBase: duration("retryBase", "retryBase", options.retryBase, DEFAULTS.retryBase),
    maxRetryDelay: duration("maxRetryDelay", "maxRetryDelay", options.maxRetryDelay, DEFAULTS.maxRetryDelay),
    transformClient: options.transformClient
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
            "Set DATAFOLD_API_KEY to a Datafold API key (create one in Datafold under Settings → Account; a service-account key suits CI)"
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
 * @since 0.1.0
 * @category config
 */
export const fromEnv: Config.Config<DatafoldClientOptions> = Config.all({
  apiKey: apiKeyConfig,
  host: Config.string("DATAFOLD_HOST").pipe(Config.withDefault(DEFAULT_HOST)),
  timeout: Config.number("DATAFOLD_TIMEOUT").pipe(
    Config.validate({ message: "must be a positive number of seconds", validation: (seconds) => seconds > 0 }),
    Config.map((seconds): Duration.DurationInput => Duration.millis(Math.round(seconds * 1000))),
    Config.withDefault<Duration.DurationInput>(DEFAULTS.timeout)
  ),
  retries: Config.integer("DATAFOLD_RETRIES").pipe(
    Config.validate({ message: "must be a whole number from 0 to 10", validation: (n) => n >= 0 && n <= 10 }),
    Config.withDefault(DEFAULTS.retries)
  )
})
