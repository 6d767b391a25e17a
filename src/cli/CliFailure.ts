/**
 * Everything a `datafold-ci` run can fail with, as one union, and how `--json` shows any
 * of them.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import { DatafoldError } from "../DatafoldError.ts"
import { DatafoldNoRunWaitingError } from "../DatafoldNoRunWaitingError.ts"
import type { DiffsFileError, SettingsError, UsageError } from "./CliError.ts"
import type { CiEventFileError, MissingPrFactError } from "./PrFactsError.ts"

/** Every failure of a `datafold-ci` run: the library's errors and the CLI's own. */
export type CliFailure =
  | DatafoldError
  | DatafoldNoRunWaitingError
  | DiffsFileError
  | UsageError
  | SettingsError
  | MissingPrFactError
  | CiEventFileError

type LibraryFailure = DatafoldError | DatafoldNoRunWaitingError
type OwnFailure = Exclude<CliFailure, LibraryFailure>

const ownTags: ReadonlySet<string> = new Set([
  "UsageError",
  "SettingsError",
  "DiffsFileError",
  "MissingPrFactError",
  "CiEventFileError"
])

const isOwn = (error: CliFailure): error is OwnFailure => ownTags.has(error._tag)

// Built on first use: only a library failure under `--json` needs it, and building it costs start-up time.
let encodeLibraryFailure: ((error: LibraryFailure) => unknown) | undefined

/**
 * A failure as plain JSON data: its `_tag`, its fields (a library error's as its schema
 * encodes them; the CLI's own errors hold plain data already), and its human `message`.
 */
export const failureToJson = (error: CliFailure): Record<string, unknown> => ({
  ...(isOwn(error)
    ? { ...error }
    : (encodeLibraryFailure ??= Schema.encodeSync(Schema.Union(DatafoldError, DatafoldNoRunWaitingError)))(
      error
    ) as Record<string, unknown>),
  message: error.message
})
