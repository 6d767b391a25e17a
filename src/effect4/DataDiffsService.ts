/**
 * What the `DatafoldDataDiffs` service can do, and the options and results of its waits:
 * the service's interface, apart from how it is built.
 *
 * @since 0.3.0
 */
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import type { DataDiffInput, ListDataDiffsQuery } from "../core/diffs/input.ts"
import type { RunReport } from "../core/diffs/report.ts"
import type {
  CancelledDataDiff,
  DataDiff,
  FinishedSummary,
  OrganizationMeta,
  SummaryResults
} from "../core/diffs/shapes.ts"
import type { DatafoldDataDiffTimeoutError, DatafoldDataDiffWaitError } from "./DataDiffError.ts"
import type { DatafoldError } from "./DatafoldError.ts"

/**
 * Where a wait for diffs stands, after each look at one diff's results.
 *
 * @since 0.3.0
 * @category models
 */
export interface DataDiffWaitProgress {
  readonly diffId: number
  readonly summary: SummaryResults
  readonly elapsedMillis: number
  readonly polls: number
}

/**
 * How to wait for diffs: looks spaced from `pollEvery`, each half as long again, up to
 * `maxPollEvery`, one `summary_results` call per look and diff.
 *
 * @since 0.3.0
 * @category models
 */
export interface WaitForDataDiffOptions {
  /** The longest a diff is waited for; default 30 minutes. */
  readonly timeout?: Duration.Input | undefined
  /** The first wait between looks; default 2 seconds. */
  readonly pollEvery?: Duration.Input | undefined
  /** The longest wait between looks; default 15 seconds. */
  readonly maxPollEvery?: Duration.Input | undefined
  /** How many diffs are looked at side by side; default 8. */
  readonly concurrency?: number | undefined
  /** Called after each look. */
  readonly onProgress?: ((progress: DataDiffWaitProgress) => Effect.Effect<void>) | undefined
}

/**
 * A diff that has ended: finished, failed or cancelled (the last two as data).
 *
 * @since 0.3.0
 * @category models
 */
export interface SettledDataDiff {
  readonly diffId: number
  readonly summary: FinishedSummary | Extract<SummaryResults, { readonly _tag: "Failed" | "Cancelled" }>
  readonly elapsedMillis: number
}

/**
 * Options of `runReport`.
 *
 * @since 0.3.0
 * @category models
 */
export interface RunReportOptions {
  /** Wait for every diff of the run to end first; default: read the results as they stand. */
  readonly wait?: WaitForDataDiffOptions | undefined
  /** The listing's page size; default 100. */
  readonly pageSize?: number | undefined
}

/**
 * What `DatafoldDataDiffs` can do. Bad input fails with `DatafoldInputError` before
 * anything is sent; reads are retried on transient failures, a create only when it
 * surely did not arrive.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldDataDiffs } from "effect-datafold/effect4"
 *
 * const program = Effect.gen(function* () {
 *   const diffs = yield* DatafoldDataDiffs
 *   const meta = yield* diffs.organizationMeta()
 *   console.log(`the key works for ${meta.org_name}`)
 * })
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * ```
 *
 * @since 0.3.0
 * @category models
 */
export interface DataDiffsService {
  /** The base URL calls go to, without a trailing slash. */
  readonly host: string
  /** `POST /api/v1/datadiffs`: start a diff; Datafold runs it asynchronously. */
  readonly createDataDiff: (input: DataDiffInput) => Effect.Effect<DataDiff, DatafoldError>
  /** `GET /api/v1/datadiffs/{id}`. */
  readonly getDataDiff: (id: number) => Effect.Effect<DataDiff, DatafoldError>
  /** `POST /api/v1/datadiffs/{id}/cancel`: no effect on a finished diff. */
  readonly cancelDataDiff: (id: number) => Effect.Effect<CancelledDataDiff, DatafoldError>
  /** `GET /api/v1/datadiffs/{id}/summary_results`, as its tagged variant. */
  readonly dataDiffResults: (id: number) => Effect.Effect<SummaryResults, DatafoldError>
  /** Wait until a diff's results are in (`done` or `success`); failed, cancelled and late diffs fail typed. */
  readonly waitForDataDiff: (
    id: number,
    options?: WaitForDataDiffOptions
  ) => Effect.Effect<FinishedSummary, DatafoldError | DatafoldDataDiffWaitError>
  /** Wait for many diffs, `concurrency` at a time; failed and cancelled ones are data, a late one fails. */
  readonly waitForDataDiffs: (
    ids: ReadonlyArray<number>,
    options?: WaitForDataDiffOptions
  ) => Effect.Effect<ReadonlyArray<SettledDataDiff>, DatafoldError | DatafoldDataDiffTimeoutError>
  /** Every diff the listing gives, page after page. */
  readonly listDataDiffs: (query?: ListDataDiffsQuery) => Stream.Stream<DataDiff, DatafoldError>
  /**
   * The report of one CI run: its diffs (those whose own `ci_run_id` is the run's id,
   * whatever the listing returned) and what each found.
   */
  readonly runReport: (
    ciConfigId: number,
    run: number | { readonly id: number },
    options?: RunReportOptions
  ) => Effect.Effect<RunReport, DatafoldError | DatafoldDataDiffTimeoutError>
  /** `GET /api/v1/organization/meta`: a cheap check that the key works. */
  readonly organizationMeta: () => Effect.Effect<OrganizationMeta, DatafoldError>
}
