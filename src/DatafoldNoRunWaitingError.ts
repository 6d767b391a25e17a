/**
 * The outcome of an upload that found no run to attach to.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { noRunWaitingErrorMessage } from "./core/messages.ts"
import type { TaggedErrorBase } from "./schemaClass.ts"

const DatafoldNoRunWaitingErrorBase: TaggedErrorBase<DatafoldNoRunWaitingError, "DatafoldNoRunWaitingError", {
  ciConfigId: typeof Schema.Int
  prNumber: typeof Schema.Int
  status: typeof Schema.Int
  detail: typeof Schema.String
}> = Schema.TaggedError<DatafoldNoRunWaitingError>()("DatafoldNoRunWaitingError", {
  ciConfigId: Schema.Int,
  prNumber: Schema.Int,
  /** The HTTP status of Datafold's answer: a 4xx, or 200 with no run ids. */
  status: Schema.Int,
  /** Datafold's own words, when it gave any (a short excerpt). */
  detail: Schema.String
})

/**
 * "Upload PR/MR changes" attaches diffs to the CI run waiting for the pull request, and
 * Datafold had none: it answered a 4xx other than 401/403/422/429, or 200 with null ids.
 * What it answers in that case is not documented, so both count. Nothing was attached;
 * trigger a run for the pull request first, then upload again.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldClient, submitCiDiffs } from "effect-datafold"
 *
 * const program = submitCiDiffs(1234, 42, [{ prod: "analytics.prod.orders", pr: "analytics.pr_42.orders" }]).pipe(
 *   Effect.catchTag("DatafoldNoRunWaitingError", (e) =>
 *     Console.error(`no CI run waits for PR ${e.prNumber} (HTTP ${e.status}): trigger one first`))
 * )
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * ```
 *
 * @since 0.1.0
 * @category errors
 */
export class DatafoldNoRunWaitingError extends DatafoldNoRunWaitingErrorBase {
  override get message(): string {
    return noRunWaitingErrorMessage(this)
  }
}
