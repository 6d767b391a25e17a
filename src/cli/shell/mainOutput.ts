/**
 * What `main` itself writes around a command's result: the one JSON line, failures on
 * stderr and under `--json`, and the dry run's warning about a missing key.
 *
 * @module
 */
import { type CliFailure, failureToJson } from "./CliFailure.ts"

/** One JSON object as one line. */
export const jsonLine = (value: unknown): string => `${JSON.stringify(value)}\n`

/** A failure for stderr, prefixed with the program name so it stands out in CI logs. */
export const renderFailureText = (error: { readonly message: string }): string => `datafold-ci: ${error.message}\n`

/** The `--json` object of a failure: its tag, fields and message. */
export const failureJson = (error: CliFailure): Record<string, unknown> => ({ ok: false, error: failureToJson(error) })

/** The `--json` object of a bug in datafold-ci itself (exit 70). */
export const internalErrorJson = (message: string): Record<string, unknown> => ({
  ok: false,
  error: { _tag: "InternalError", message }
})

/** What a dry run without `DATAFOLD_API_KEY` says on stderr. */
export const keyMissingWarning =
  "datafold-ci: warning: DATAFOLD_API_KEY is not set. Fine for --dry-run, which sends nothing; a real run needs it.\n"

/**
 * What a flag given an empty value (`--commit-sha ""`, `--commit-sha=`, or last on the line
 * with nothing after it) says on stderr: it is read as left out.
 */
export const emptyValueWarning = (flag: string): string =>
  `datafold-ci: warning: ${flag} was given an empty value, a common sign of an unset CI variable; ` +
  `it is read as left out (found as when not given).\n`
