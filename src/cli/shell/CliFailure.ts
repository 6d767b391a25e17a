/**
 * Everything a `datafold-ci` run can fail with, as one union, and how `--json` shows any
 * of them.
 *
 * @module
 */
import * as Schema from "effect/Schema"
import type { DatafoldArtifactsError } from "../../DatafoldArtifactsError.ts"
import type {
  DatafoldDataDiffCancelledError,
  DatafoldDataDiffFailedError,
  DatafoldDataDiffTimeoutError
} from "../../DataDiffError.ts"
import type { DatafoldError } from "../../DatafoldError.ts"
import type { DatafoldNoRunWaitingError } from "../../DatafoldNoRunWaitingError.ts"
import type { DatafoldWaitError } from "../../DatafoldWaitError.ts"
import type { DiffBodyError, DiffsFileError, SettingsError, UsageError } from "../args/CliError.ts"
import type { DbtArtifactsMissingError, DbtPrimaryKeysMissingError, MissingDbtFactError } from "./DbtCliError.ts"
import type { NoCiRunFoundError, ReportFileError } from "./ResultsError.ts"
import type { DbtProjectFileError, NoBuiltModelsError } from "./DiffDbtError.ts"

/** How waiting for data diffs can end badly. */
type DataDiffWaitError = DatafoldDataDiffFailedError | DatafoldDataDiffCancelledError | DatafoldDataDiffTimeoutError
import type { CiEventFileError, MissingPrFactError } from "../facts/PrFactsError.ts"

/** Every failure of a `datafold-ci` run: the library's errors and the CLI's own. */
export type CliFailure =
  | DatafoldError
  | DatafoldNoRunWaitingError
  | DatafoldArtifactsError
  | DatafoldWaitError
  | DiffsFileError
  | DiffBodyError
  | UsageError
  | SettingsError
  | MissingPrFactError
  | CiEventFileError
  | MissingDbtFactError
  | DbtArtifactsMissingError
  | DbtPrimaryKeysMissingError
  | DataDiffWaitError
  | NoCiRunFoundError
  | ReportFileError
  | DbtProjectFileError
  | NoBuiltModelsError

type LibraryFailure =
  | DatafoldError
  | DatafoldNoRunWaitingError
  | DatafoldArtifactsError
  | DatafoldWaitError
  | DataDiffWaitError
type OwnFailure = Exclude<CliFailure, LibraryFailure>

const ownTags: ReadonlySet<string> = new Set([
  "UsageError",
  "SettingsError",
  "DiffsFileError",
  "DiffBodyError",
  "MissingPrFactError",
  "CiEventFileError",
  "MissingDbtFactError",
  "DbtArtifactsMissingError",
  "DbtPrimaryKeysMissingError",
  "NoCiRunFoundError",
  "ReportFileError",
  "DbtProjectFileError",
  "NoBuiltModelsError"
])

const isOwn = (error: CliFailure): error is OwnFailure => ownTags.has(error._tag)

/**
 * A library failure as its schema encodes it. Each library error is an instance of a
 * `Schema.TaggedError` class, and the class is its own schema: encoding with it needs no
 * union of every error class, whose modules a command would otherwise load at start.
 */
const encodeLibraryFailure = (error: LibraryFailure): unknown =>
  Schema.encodeSync(error.constructor as unknown as Schema.Schema<LibraryFailure, unknown>)(error)

/**
 * A failure as plain JSON data: its `_tag`, its fields (a library error's as its schema
 * encodes them; the CLI's own errors hold plain data already), and its human `message`.
 */
export const failureToJson = (error: CliFailure): Record<string, unknown> => ({
  ...(isOwn(error) ? { ...error } : encodeLibraryFailure(error) as Record<string, unknown>),
  message: error.message
})
