/**
 * The package version, sent in the `User-Agent` header. A test holds it equal to the
 * version in `package.json` and `deno.json`.
 *
 * @since 0.1.0
 * @category constants
 */
export const VERSION = "0.2.0"

/**
 * The `User-Agent` this client sends.
 *
 * @since 0.1.0
 * @category constants
 */
export const USER_AGENT = `effect-datafold/${VERSION}`
