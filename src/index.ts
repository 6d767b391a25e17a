/**
 * effect-datafold: trigger Datafold PR/MR data-diff runs from Effect programs and CI.
 * Loads, runs and type-checks without `@effect/platform` (an optional peer): what needs it,
 * the declarative API definition and the client and data-diffs layers over an `HttpClient`
 * of your own, is `effect-datafold/api`.
 *
 * @since 0.1.0
 */
export { ApiCiDiff, ApiCiDiffs, CiDiff, type CiDiffInput, CiDiffs, PrimaryKey, TablePath } from "./CiDiff.ts"
export { CiRun, CiRuns, ListRunsQuery } from "./CiRun.ts"
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
  checkApiKey,
  type DatafoldClientOptions,
  DEFAULT_HOST,
  DEFAULTS,
  fromEnv,
  MIN_API_KEY_LENGTH,
  parseHost,
  type ResolvedOptions,
  resolveOptions
} from "./DatafoldConfig.ts"
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
export {
  ApiPrDetails,
  BranchName,
  CiConfigId,
  CommitSha,
  PrDetails,
  type PrDetailsInput,
  PrNumber
} from "./PrDetails.ts"
export { SubmitCiJob } from "./SubmitCiJob.ts"
export { HttpValidationError, ValidationErrorItem } from "./ValidationError.ts"
export { USER_AGENT, VERSION } from "./version.ts"
