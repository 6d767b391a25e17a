/**
 * Datafold's data diffs: create one, read it, cancel it, read its results, wait for one
 * or many, list them all, and the report of a CI run (its diffs and what each found).
 * A service of its own, `DatafoldDataDiffs`, built from the same options, `HttpClient`,
 * retries and key handling as the Effect 4 `DatafoldClient`; the same API as the main entry.
 *
 * @since 0.3.0
 */
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FetchHttpClient from "effect/http/FetchHttpClient"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import * as Result from "effect/Result"
import * as Stream from "effect/Stream"
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
import { fromEnv, resolveOptions } from "./DatafoldConfig.ts"
import type { DatafoldError } from "./DatafoldError.ts"
import { makeDataDiffsService } from "./internal/dataDiffsService.ts"
import { readConfig } from "./internal/readConfig.ts"

import type { DataDiffsService, RunReportOptions, SettledDataDiff, WaitForDataDiffOptions } from "./DataDiffsService.ts"

export type {
  /**
   * What the data-diffs service can do; documented in the `DataDiffsService` module.
   *
   * @since 0.3.0
   * @category models
   */
  DataDiffsService,
  /**
   * Where a wait for diffs stands; documented in the `DataDiffsService` module.
   *
   * @since 0.3.0
   * @category models
   */
  DataDiffWaitProgress,
  /**
   * Options of `runReport`; documented in the `DataDiffsService` module.
   *
   * @since 0.3.0
   * @category models
   */
  RunReportOptions,
  /**
   * A diff that has ended; documented in the `DataDiffsService` module.
   *
   * @since 0.3.0
   * @category models
   */
  SettledDataDiff,
  /**
   * How to wait for diffs; documented in the `DataDiffsService` module.
   *
   * @since 0.3.0
   * @category models
   */
  WaitForDataDiffOptions
} from "./DataDiffsService.ts"

export type {
  /**
   * A diff's page, cancel answer, shapes: see the shared core.
   *
   * @since 0.3.0
   * @category models
   */
  CancelledDataDiff,
  /**
   * One column's comparison in a diff's results.
   *
   * @since 0.3.0
   * @category models
   */
  ColumnDiffStats,
  /**
   * A data diff as Datafold answers it (`ApiDataDiffFull`).
   *
   * @since 0.3.0
   * @category models
   */
  DataDiff,
  /**
   * Why a diff failed.
   *
   * @since 0.3.0
   * @category models
   */
  DataDiffFailure,
  /**
   * A page of the diffs listing.
   *
   * @since 0.3.0
   * @category models
   */
  DataDiffPage,
  /**
   * The finished variants of `SummaryResults`.
   *
   * @since 0.3.0
   * @category models
   */
  FinishedSummary,
  /**
   * A diff's `JobStatus`.
   *
   * @since 0.3.0
   * @category models
   */
  JobStatus,
  /**
   * Whose key it is.
   *
   * @since 0.3.0
   * @category models
   */
  OrganizationMeta,
  /**
   * A pair of counts, table 1's then table 2's.
   *
   * @since 0.3.0
   * @category models
   */
  Pair,
  /**
   * The primary-key counts of finished results.
   *
   * @since 0.3.0
   * @category models
   */
  SummaryPks,
  /**
   * A diff's `summary_results` as a tagged union: `Running`, `Failed`, `Cancelled`,
   * `SameDatabaseDone`, `CrossDatabaseDone`, `DependenciesDone`.
   *
   * @since 0.3.0
   * @category models
   */
  SummaryResults,
  /**
   * The schema comparison of same-database results.
   *
   * @since 0.3.0
   * @category models
   */
  SummarySchema,
  /**
   * The value comparison of finished results.
   *
   * @since 0.3.0
   * @category models
   */
  SummaryValues
} from "../core/diffs/shapes.ts"
export type {
  /**
   * The body of a diff to create (`ApiDataDiffData`).
   *
   * @since 0.3.0
   * @category models
   */
  DataDiffInput,
  /**
   * A sort field of the diffs listing.
   *
   * @since 0.3.0
   * @category models
   */
  DataDiffSortField,
  /**
   * The query of the diffs listing.
   *
   * @since 0.3.0
   * @category models
   */
  ListDataDiffsQuery
} from "../core/diffs/input.ts"
export type {
  /**
   * One column whose values differ.
   *
   * @since 0.3.0
   * @category models
   */
  ColumnDifference,
  /**
   * Rows added, removed, updated and unchanged.
   *
   * @since 0.3.0
   * @category models
   */
  RowCounts,
  /**
   * A CI run's report: one `TableReport` per diff of the run, and counts by verdict.
   *
   * @since 0.3.0
   * @category models
   */
  RunReport,
  /**
   * One table's line of a run's report.
   *
   * @since 0.3.0
   * @category models
   */
  TableReport,
  /**
   * What a table's diff came to.
   *
   * @since 0.3.0
   * @category models
   */
  TableVerdict
} from "../core/diffs/report.ts"

const DatafoldDataDiffsTag: Context.ServiceClass<
  DatafoldDataDiffs,
  "effect-datafold/DatafoldDataDiffs",
  DataDiffsService
> = Context.Service<DatafoldDataDiffs, DataDiffsService>()("effect-datafold/DatafoldDataDiffs")

/**
 * The `DatafoldDataDiffs` service.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldDataDiffs } from "effect-datafold/effect4"
 *
 * const program = Effect.gen(function* () {
 *   const diffs = yield* DatafoldDataDiffs
 *   const report = yield* diffs.runReport(1234, 5678)
 *   for (const table of report.tables) console.log(table.table2, table.verdict, table.link)
 * })
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * ```
 *
 * @since 0.3.0
 * @category services
 */
export class DatafoldDataDiffs extends DatafoldDataDiffsTag {
  /**
   * The service from the environment's settings over Effect 4's `fetch` `HttpClient`:
   * needs nothing. (Over an `HttpClient` of your own: `dataDiffsLayer`.)
   *
   * @example
   * ```ts
   * import { Effect } from "effect"
   * import { DatafoldDataDiffs, organizationMeta } from "effect-datafold/effect4"
   *
   * const meta = await Effect.runPromise(organizationMeta().pipe(Effect.provide(DatafoldDataDiffs.Default)))
   * ```
   *
   * @since 0.3.0
   */
  static readonly Default: Layer.Layer<DatafoldDataDiffs, Config.ConfigError> = Layer.provide(
    Layer.effect(
      DatafoldDataDiffs,
      Effect.gen(function* () {
        const resolved = resolveOptions(yield* readConfig(fromEnv))
        if (Result.isFailure(resolved)) return yield* Effect.fail(resolved.failure)
        return makeDataDiffsService(resolved.success, yield* HttpClient.HttpClient)
      })
    ),
    FetchHttpClient.layer
  )
}

/**
 * Create a data diff with the `DatafoldDataDiffs` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { createDataDiff, DatafoldDataDiffs } from "effect-datafold/effect4"
 *
 * const program = createDataDiff({
 *   data_source1_id: 7,
 *   data_source2_id: 7,
 *   table1: ["ANALYTICS", "PROD", "ORDERS"],
 *   table2: ["ANALYTICS", "PR_42", "ORDERS"],
 *   pk_columns: ["ORDER_ID"]
 * })
 *
 * const diff = await Effect.runPromise(program.pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * console.log(`diff ${diff.id} is ${diff.status}`)
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const createDataDiff = (input: DataDiffInput): Effect.Effect<DataDiff, DatafoldError, DatafoldDataDiffs> =>
  DatafoldDataDiffs.use((service) => service.createDataDiff(input))

/**
 * Read a data diff with the `DatafoldDataDiffs` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldDataDiffs, getDataDiff } from "effect-datafold/effect4"
 *
 * const diff = await Effect.runPromise(getDataDiff(4321).pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const getDataDiff = (id: number): Effect.Effect<DataDiff, DatafoldError, DatafoldDataDiffs> =>
  DatafoldDataDiffs.use((service) => service.getDataDiff(id))

/**
 * Cancel a data diff with the `DatafoldDataDiffs` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { cancelDataDiff, DatafoldDataDiffs } from "effect-datafold/effect4"
 *
 * const answer = await Effect.runPromise(cancelDataDiff(4321).pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const cancelDataDiff = (id: number): Effect.Effect<CancelledDataDiff, DatafoldError, DatafoldDataDiffs> =>
  DatafoldDataDiffs.use((service) => service.cancelDataDiff(id))

/**
 * A diff's results as they stand, with the `DatafoldDataDiffs` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldDataDiffs, dataDiffResults } from "effect-datafold/effect4"
 *
 * const summary = await Effect.runPromise(dataDiffResults(4321).pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * if (summary._tag === "Failed") console.error(summary.error.error_value)
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const dataDiffResults = (id: number): Effect.Effect<SummaryResults, DatafoldError, DatafoldDataDiffs> =>
  DatafoldDataDiffs.use((service) => service.dataDiffResults(id))

/**
 * Wait for a diff's results, with the `DatafoldDataDiffs` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldDataDiffs, waitForDataDiff } from "effect-datafold/effect4"
 *
 * const summary = await Effect.runPromise(
 *   waitForDataDiff(4321, { timeout: "20 minutes" }).pipe(Effect.provide(DatafoldDataDiffs.Default))
 * )
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const waitForDataDiff = (
  id: number,
  options?: WaitForDataDiffOptions
): Effect.Effect<FinishedSummary, DatafoldError | DatafoldDataDiffWaitError, DatafoldDataDiffs> =>
  DatafoldDataDiffs.use((service) => service.waitForDataDiff(id, options))

/**
 * Wait for many diffs, with the `DatafoldDataDiffs` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldDataDiffs, waitForDataDiffs } from "effect-datafold/effect4"
 *
 * const settled = await Effect.runPromise(
 *   waitForDataDiffs([4321, 4322, 4323], { concurrency: 2 }).pipe(Effect.provide(DatafoldDataDiffs.Default))
 * )
 * for (const diff of settled) console.log(diff.diffId, diff.summary._tag)
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const waitForDataDiffs = (
  ids: ReadonlyArray<number>,
  options?: WaitForDataDiffOptions
): Effect.Effect<ReadonlyArray<SettledDataDiff>, DatafoldError | DatafoldDataDiffTimeoutError, DatafoldDataDiffs> =>
  DatafoldDataDiffs.use((service) => service.waitForDataDiffs(ids, options))

/**
 * Every diff of the listing, page after page, with the `DatafoldDataDiffs` in context.
 *
 * @example
 * ```ts
 * import { Effect, Stream } from "effect"
 * import { DatafoldDataDiffs, listDataDiffs } from "effect-datafold/effect4"
 *
 * const newest = listDataDiffs({ orderBy: "created_at", sortOrder: "desc" }).pipe(Stream.take(20), Stream.runCollect)
 * const diffs = await Effect.runPromise(newest.pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const listDataDiffs = (query?: ListDataDiffsQuery): Stream.Stream<DataDiff, DatafoldError, DatafoldDataDiffs> =>
  Stream.unwrap(DatafoldDataDiffs.use((service) => Effect.succeed(service.listDataDiffs(query))))

/**
 * The report of a CI run, with the `DatafoldDataDiffs` in context.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldDataDiffs, runReport } from "effect-datafold/effect4"
 *
 * const report = await Effect.runPromise(
 *   runReport(1234, 5678, { wait: { timeout: "30 minutes" } }).pipe(Effect.provide(DatafoldDataDiffs.Default))
 * )
 * console.log(`${report.counts.different} of ${report.tables.length} tables differ`)
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const runReport = (
  ciConfigId: number,
  run: number | { readonly id: number },
  options?: RunReportOptions
): Effect.Effect<RunReport, DatafoldError | DatafoldDataDiffTimeoutError, DatafoldDataDiffs> =>
  DatafoldDataDiffs.use((service) => service.runReport(ciConfigId, run, options))

/**
 * Whose key it is, with the `DatafoldDataDiffs` in context: a cheap check that it works.
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import { DatafoldDataDiffs, organizationMeta } from "effect-datafold/effect4"
 *
 * const meta = await Effect.runPromise(organizationMeta().pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * console.log(meta.org_name)
 * ```
 *
 * @since 0.3.0
 * @category accessors
 */
export const organizationMeta = (): Effect.Effect<OrganizationMeta, DatafoldError, DatafoldDataDiffs> =>
  DatafoldDataDiffs.use((service) => service.organizationMeta())
