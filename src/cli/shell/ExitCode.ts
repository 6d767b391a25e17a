/**
 * The exit codes of `datafold-ci`, one per thing a pipeline might do differently:
 * fix the invocation, fix the key, fix the request, retry later, or report a bug.
 *
 * @module
 */
import type { CliFailure } from "./CliFailure.ts"

/** The exit codes, by meaning. */
export const ExitCode = {
  /** Done: triggered, submitted, listed, uploaded, a waited-for run done (or `--dry-run` printed the request). */
  Triggered: 0,
  /** Usage or invalid input: nothing was sent. */
  Usage: 2,
  /** Datafold did not accept the API key (401/403). */
  Auth: 3,
  /** Datafold refused the request (404, 422, other 4xx). */
  Rejected: 4,
  /** Datafold could not be reached or is failing (network, timeout, 429, 5xx). */
  Unavailable: 5,
  /** Datafold's answer could not be used. */
  UnexpectedResponse: 6,
  /** `submit`: no CI run is waiting for the PR's diffs; trigger first. */
  NoRunWaiting: 7,
  /** Waiting: the CI run ended `failed`. */
  RunFailed: 8,
  /** Waiting: the CI run was `cancelled` (a newer commit of the PR arrived). */
  RunCancelled: 9,
  /** Waiting: no CI run appeared in time, or it did not finish in time. */
  WaitTimedOut: 10,
  /** `dbt check-post-upload-dbt-artifacts`: Datafold does not have the artifacts. */
  ArtifactsMissing: 11,
  /** A gate tripped: `--fail-on` found a table of the run's report that trips one, or `dbt check-primary-keys --fail-on-missing` a model without a primary key. */
  GateTripped: 12,
  /** A bug in datafold-ci: none should ever happen (`EX_SOFTWARE`). */
  Internal: 70
} as const

/** One of the {@link ExitCode} values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Each exit code with the line `--help` shows for it, in order. */
export const exitCodeDescriptions: ReadonlyArray<readonly [ExitCode, string]> = [
  [
    ExitCode.Triggered,
    "done: triggered, submitted, listed, uploaded; a waited-for run done (--dry-run: the request printed)"
  ],
  [
    ExitCode.Usage,
    "usage or invalid input; nothing was sent (also: no API key, bad host, PR fact not found, bad diffs)"
  ],
  [ExitCode.Auth, "authentication: Datafold did not accept the API key (401/403)"],
  [ExitCode.Rejected, "rejected by Datafold (404 unknown CI config, 422 invalid request, other 4xx)"],
  [ExitCode.Unavailable, "Datafold unreachable or failing (network, timeout, 429, 5xx): try again later"],
  [ExitCode.UnexpectedResponse, "unexpected response from Datafold (not the JSON it documents)"],
  [ExitCode.NoRunWaiting, "submit: no CI run is waiting for the PR's diffs; trigger first (or use trigger --diffs)"],
  [ExitCode.RunFailed, "waiting (--wait, dbt upload-and-wait): the CI run failed"],
  [ExitCode.RunCancelled, "waiting: the CI run was cancelled (a newer commit of the PR arrived)"],
  [ExitCode.WaitTimedOut, "waiting: no CI run appeared in time, or it did not finish in time"],
  [
    ExitCode.ArtifactsMissing,
    "dbt check-post-upload-dbt-artifacts: Datafold does not have the artifacts (--warn-only: exit 0)"
  ],
  [
    ExitCode.GateTripped,
    "a gate tripped: --fail-on (each table named, with why), or dbt check-primary-keys --fail-on-missing"
  ],
  [ExitCode.Internal, "internal error in datafold-ci (a bug: please report it)"]
]

/** The exit code for a failure. Exhaustive, so a new error kind cannot be forgotten. */
export const exitCodeFor = (error: CliFailure): ExitCode => {
  switch (error._tag) {
    case "UsageError":
    case "SettingsError":
    case "MissingPrFactError":
    case "CiEventFileError":
    case "DiffsFileError":
    case "DiffBodyError":
    case "ReportFileError":
    case "DatafoldInputError":
    case "DatafoldArtifactsError":
    case "MissingDbtFactError":
    case "DbtProjectFileError":
    case "NoBuiltModelsError":
      return ExitCode.Usage
    case "DatafoldAuthError":
      return ExitCode.Auth
    case "DatafoldNotFoundError":
    case "DatafoldValidationError":
    case "DatafoldRejectedError":
      return ExitCode.Rejected
    case "DatafoldNetworkError":
    case "DatafoldRateLimitError":
    case "DatafoldServerError":
      return ExitCode.Unavailable
    case "DatafoldResponseError":
      return ExitCode.UnexpectedResponse
    case "DatafoldNoRunWaitingError":
      return ExitCode.NoRunWaiting
    case "DatafoldRunFailedError":
    case "DatafoldDataDiffFailedError":
      return ExitCode.RunFailed
    case "DatafoldRunCancelledError":
    case "DatafoldDataDiffCancelledError":
      return ExitCode.RunCancelled
    case "DatafoldRunNotFoundError":
    case "DatafoldRunTimeoutError":
    case "DatafoldDataDiffTimeoutError":
    case "NoCiRunFoundError":
      return ExitCode.WaitTimedOut
    case "DbtArtifactsMissingError":
      return ExitCode.ArtifactsMissing
    case "DbtPrimaryKeysMissingError":
      return ExitCode.GateTripped
  }
}
