/**
 * The package version and the `User-Agent` built from it: a constant the Effect-free core
 * sends in every request's headers. `npm run version:bump` writes it; a test holds it equal
 * to the version in `package.json` and `deno.json`. `src/version.ts` is its public face.
 *
 * @since 0.3.0
 */

/**
 * The package version.
 *
 * @since 0.3.0
 * @category constants
 */
export const VERSION = "0.2.0"

/**
 * The `User-Agent` this client sends.
 *
 * @since 0.3.0
 * @category constants
 */
export const USER_AGENT = `effect-datafold/${VERSION}`
