/**
 * The headers every request carries, written once so both entries send the same bytes,
 * and the redacted form the `prepare…` calls show.
 *
 * @since 0.1.0
 */
import { USER_AGENT } from "./version.ts"

/**
 * The `Authorization` value for a key (the key as sent, already checked).
 *
 * @since 0.1.0
 * @category headers
 */
export const authorizationFor = (key: string): string => `Key ${key}`

/**
 * The headers set on every request besides the body's content type.
 *
 * @since 0.1.0
 * @category headers
 */
export const fixedHeaders = (authorization: string): Readonly<Record<string, string>> => ({
  authorization,
  accept: "application/json",
  "user-agent": USER_AGENT
})

/**
 * The headers a prepared request shows: what is sent, with the key redacted.
 *
 * @since 0.1.0
 * @category headers
 */
export const PREPARED_HEADERS: Readonly<Record<string, string>> = {
  authorization: "Key <redacted>",
  "content-type": "application/json",
  accept: "application/json",
  "user-agent": USER_AGENT
}
