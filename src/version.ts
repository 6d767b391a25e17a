/**
 * The package version, sent in the `User-Agent` header (kept in `core/version.ts`, which
 * the Effect-free core reads).
 *
 * @since 0.1.0
 */
export {
  /**
   * The `User-Agent` this client sends.
   *
   * @since 0.1.0
   * @category constants
   */
  USER_AGENT,
  /**
   * The package version. A test holds it equal to the version in `package.json` and `deno.json`.
   *
   * @since 0.1.0
   * @category constants
   */
  VERSION
} from "./core/version.ts"
