/**
 * effect-datafold for Effect 4: the same client as the main entry (the same service,
 * calls, schemas, error tags, fields and messages, and the same bytes on the wire),
 * compiled against `effect` 4, whose HTTP client, Schema and services live in `effect`
 * itself, so no `@effect/platform` is needed.
 *
 * @since 0.2.0
 */

/**
 * The Effect major this entry is compiled against; the main entry is Effect 3.
 *
 * @since 0.2.0
 * @category constants
 */
export const EFFECT_MAJOR = 4

export { CiDiff, type CiDiffInput, CiDiffs, PrimaryKey, TablePath } from "./CiDiff.ts"
export { CiRun, CiRuns } from "./CiRun.ts"
export {
  checkDbtArtifacts,
  checkPrimaryKeys,
  DatafoldClient,
  type DatafoldClientService,
  listCiRuns,
  type ListRunsOptions,
  type PreparedSubmit,
  type PreparedTrigger,
  submitCiDiffs,
  triggerCiRun,
  uploadDbtArtifacts,
  waitForRun
} from "./DatafoldClient.ts"
export {
  cancelDataDiff,
  type CancelledDataDiff,
  type ColumnDifference,
  type ColumnDiffStats,
  createDataDiff,
  type DataDiff,
  type DataDiffFailure,
  type DataDiffInput,
  type DataDiffPage,
  dataDiffResults,
  type DataDiffSortField,
  type DataDiffsService,
  type DataDiffWaitProgress,
  DatafoldDataDiffs,
  type FinishedSummary,
  getDataDiff,
  type JobStatus,
  listDataDiffs,
  type ListDataDiffsQuery,
  type OrganizationMeta,
  organizationMeta,
  type Pair,
  type RowCounts,
  type RunReport,
  runReport,
  type RunReportOptions,
  type SettledDataDiff,
  type SummaryPks,
  type SummaryResults,
  type SummarySchema,
  type SummaryValues,
  type TableReport,
  type TableVerdict,
  waitForDataDiff,
  type WaitForDataDiffOptions,
  waitForDataDiffs
} from "./DataDiffs.ts"
export {
  DatafoldDataDiffCancelledError,
  DatafoldDataDiffFailedError,
  DatafoldDataDiffTimeoutError,
  DatafoldDataDiffWaitError
} from "./DataDiffError.ts"
export { ArtifactsProblem, DatafoldArtifactsError } from "./DatafoldArtifactsError.ts"
export {
  DatafoldRunCancelledError,
  DatafoldRunFailedError,
  DatafoldRunNotFoundError,
  DatafoldRunTimeoutError,
  DatafoldWaitError
} from "./DatafoldWaitError.ts"
export {
  type DbtArtifactsCheckOptions,
  DbtArtifactsStatus,
  type DbtUpload,
  type DbtUploadOptions,
  type DbtUploadProgress,
  type PreparedDbtUpload,
  RunType,
  type SkippedArtifact
} from "./DbtArtifacts.ts"
export { PrimaryKeyCheck, PrimaryKeyChecks } from "./PrimaryKeyCheck.ts"
export { type RunTarget, type WaitForRunOptions, type WaitProgress } from "./RunWait.ts"
export {
  apiKeyConfig,
  type DatafoldClientOptions,
  fromEnv,
  type ResolvedOptions,
  resolveOptions
} from "./DatafoldConfig.ts"
export {
  clientLayer,
  clientLayerConfig,
  dataDiffsLayer,
  dataDiffsLayerConfig,
  makeClient,
  makeDataDiffs
} from "./DatafoldHttpClient.ts"
export { type HttpClientOptions } from "./HttpClientOptions.ts"
export {
  DatafoldAuthError,
  DatafoldError,
  DatafoldInputError,
  DatafoldNetworkError,
  DatafoldNotFoundError,
  DatafoldRateLimitError,
  DatafoldRejectedError,
  DatafoldResponseError,
  DatafoldServerError,
  DatafoldValidationError,
  InputIssue,
  NetworkFailure
} from "./DatafoldError.ts"
export { DatafoldNoRunWaitingError } from "./DatafoldNoRunWaitingError.ts"
export { BranchName, CiConfigId, CommitSha, PrDetails, type PrDetailsInput, PrNumber } from "./PrDetails.ts"
export { SubmitCiJob } from "./SubmitCiJob.ts"
export { HttpValidationError, ValidationErrorItem } from "./ValidationError.ts"
export { DEFAULT_HOST, MIN_API_KEY_LENGTH } from "../core/settings.ts"
export { USER_AGENT, VERSION } from "../version.ts"
