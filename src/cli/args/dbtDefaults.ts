/**
 * The `dbt` commands' defaults, where both the commands and their help read them.
 *
 * @module
 */

/** The target folder when `--target-folder` is not given, as the SDK's default. */
export const DEFAULT_TARGET_FOLDER = "./target/"
