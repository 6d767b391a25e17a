/**
 * Everything a `datafold-ci` run can fail with, as one union and one schema, so that
 * `--json` can encode any failure the same way.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { DatafoldError } from "../DatafoldError.ts"
import { DatafoldNoRunWaitingError } from "../DatafoldNoRunWaitingError.ts"
import { DiffsFileError, SettingsError, UsageError } from "./CliError.ts"
import { CiEventFileError, MissingPrFactError } from "./PrFactsError.ts"

/** Every failure of a `datafold-ci` run: the library's errors and the CLI's own. */
export type CliFailure =
  | DatafoldError
  | DatafoldNoRunWaitingError
  | DiffsFileError
  | UsageError
  | SettingsError
  | MissingPrFactError
  | CiEventFileError

/** The schema of {@link CliFailure}: the library's `DatafoldError` schema plus the CLI's errors. */
export const CliFailure = Schema.Union(
  DatafoldError,
  DatafoldNoRunWaitingError,
  DiffsFileError,
  UsageError,
  SettingsError,
  MissingPrFactError,
  CiEventFileError
)

// Built on first use: only a failure under `--json` needs it, and building it costs start-up time.
let encodeFailure: ((error: CliFailure) => unknown) | undefined

/**
 * A failure as plain JSON data: its `_tag`, its fields as the schema encodes them, and
 * its human `message` (which the schema does not carry).
 */
export const failureToJson = (error: CliFailure): Record<string, unknown> => ({
  ...((encodeFailure ??= Schema.encodeSync(CliFailure))(error) as Record<string, unknown>),
  message: error.message
})
