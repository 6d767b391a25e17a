/**
 * The client's settings as plain rules: defaults, and the checks on the host, the key and
 * the retry count, each giving the value to use or the problem in words. The Effect
 * shells wrap the problems in their `ConfigError`s, named by the same variables.
 *
 * @since 0.1.0
 */
import { type Checked, passed, refused } from "./checked.ts"

/**
 * Datafold's multi-tenant host, used when no other is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_HOST = "https://app.datafold.com"

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
 * Defaults of the tunable settings, in milliseconds (and a count for retries).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MILLIS = {
  /** Per attempt. */
  timeout: 30_000,
  /** Across all attempts and the waits between them. */
  deadline: 120_000,
  /** The first backoff step; later steps double it, with full jitter. */
  retryBase: 500,
  /** The longest wait between attempts, `Retry-After` included. */
  maxRetryDelay: 30_000
} as const

/**
 * Retries after the first attempt when none is given.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_RETRIES = 3

/**
 * The environment variables the client reads, in the order a Deno `--allow-env` lists them.
 *
 * @since 0.1.0
 * @category constants
 */
export const ENV_VARIABLES = [
  "DATAFOLD_API_KEY",
  "DATAFOLD_APIKEY",
  "DATAFOLD_HOST",
  "DATAFOLD_TIMEOUT",
  "DATAFOLD_RETRIES"
] as const

/**
 * What a missing key's error says: where keys come from.
 *
 * @since 0.1.0
 * @category messages
 */
export const MISSING_API_KEY =
  "Set DATAFOLD_API_KEY to a Datafold API key (create one in Datafold under Settings → Account; a service-account key suits CI)"

/**
 * What `DATAFOLD_TIMEOUT` must be.
 *
 * @since 0.1.0
 * @category messages
 */
export const TIMEOUT_ENV_PROBLEM = "must be a positive number of seconds"

/**
 * What `DATAFOLD_RETRIES` must be.
 *
 * @since 0.1.0
 * @category messages
 */
export const RETRIES_ENV_PROBLEM = "must be a whole number from 0 to 10"

/**
 * The environment could not be read (Deno without `--allow-env` throws): what happened
 * and the permission to add.
 *
 * @since 0.1.0
 * @category messages
 */
export const environmentUnreadable = (why: string): string =>
  `the environment could not be read (${why}); on Deno, allow it with --allow-env=${ENV_VARIABLES.join(",")}`

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" ||
  hostname === "[::1]" ||
  /^127(?:\.\d{1,3}){3}$/.test(hostname)

/** The host as it may be shown: any `user:password@` part removed. */
const shownHost = (host: string): string => host.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#]*@/i, "$1")

/**
 * Check a host: an absolute `https://` URL, or `http://` on loopback only, so the key
 * never crosses a network in clear text. It is an origin: the client adds the API's
 * paths (`/api/v1/…`) itself. Gives the origin, without a trailing slash. Problems
 * never repeat credentials written into the URL.
 *
 * @since 0.1.0
 * @category checks
 */
export const checkHost = (host: string): Checked<string> => {
  const shown = shownHost(host)
  let url: URL
  try {
    url = new URL(host.trim())
  } catch {
    return refused(`the host ${shown} is not an absolute URL such as ${DEFAULT_HOST}`)
  }
  if (url.username !== "" || url.password !== "") {
    return refused(
      `the host ${shown} must not carry credentials (user:password@); the API key is the only credential, set it in DATAFOLD_API_KEY`
    )
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return refused(`the host ${shown} must use https://`)
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return refused(
      `the host ${shown} uses plain http://, which would send the API key in clear text; use https:// (plain http is allowed only for localhost, 127.0.0.0/8 and [::1])`
    )
  }
  if (url.search !== "" || url.hash !== "") {
    return refused(`the host ${url.origin}${url.pathname} must not carry a query or a fragment`)
  }
  if (url.pathname !== "/") {
    return refused(
      `the host ${url.origin}${url.pathname} has a path, but the host is an origin such as ${DEFAULT_HOST}: the client adds /api/v1/… itself; use ${url.origin}`
    )
  }
  return passed(url.origin)
}

/**
 * Check an API key's text (already taken out of its `Redacted`): a string, surrounding
 * white space trimmed, only visible ASCII characters (what an HTTP header can carry,
 * without spaces), at least {@link MIN_API_KEY_LENGTH} long. Gives the key as it will be
 * sent. Problems never repeat the key.
 *
 * @since 0.1.0
 * @category checks
 */
export const checkApiKeyText = (value: unknown): Checked<string> => {
  if (typeof value !== "string") return refused("the API key must be a string; pass apiKey: Redacted.make(key)")
  const key = value.trim()
  if (key.length === 0) return refused("the API key is empty")
  if (/[^\x21-\x7e]/.test(key)) {
    return refused(
      "the API key holds a character that cannot be sent in an HTTP header (a line break, a control character, an inner space or a non-ASCII character); copy the key again from Datafold"
    )
  }
  if (key.length < MIN_API_KEY_LENGTH) {
    return refused(
      `the API key is shorter than ${MIN_API_KEY_LENGTH} characters, too short to be a Datafold API key; check that the whole key was copied`
    )
  }
  return passed(key)
}

/**
 * Check a retry count: a whole number from 0 to 10.
 *
 * @since 0.1.0
 * @category checks
 */
export const checkRetries = (retries: number): Checked<number> =>
  Number.isInteger(retries) && retries >= 0 && retries <= 10
    ? passed(retries)
    : refused("retries must be a whole number from 0 to 10")

/**
 * The problem of a duration that is not positive; `label` names it ("the timeout").
 *
 * @since 0.1.0
 * @category messages
 */
export const notPositiveDuration = (label: string): string => `${label} must be a positive duration`
