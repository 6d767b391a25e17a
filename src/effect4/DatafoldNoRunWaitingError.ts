/**
 * The outcome of an upload that found no run to attach to (Effect 4).
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { noRunWaitingErrorMessage } from "../core/messages.ts"
import type { TaggedErrorBase } from "./schemaClass.ts"

const DatafoldNoRunWaitingErrorBase: TaggedErrorBase<DatafoldNoRunWaitingError, "DatafoldNoRunWaitingError", {
  ciConfigId: Schema.Int
  prNumber: Schema.Int
  status: Schema.Int
  detail: Schema.String
}> = Schema.TaggedError<DatafoldNoRunWaitingError>()("DatafoldNoRunWaitingError", {
  ciConfigId: Schema.Int,
  prNumber: Schema.Int,
  status: Schema.Int,
  detail: Schema.String
})

/**
 * Datafold had no CI run waiting for the pull request: it answered a 4xx other than
 * 401/403/422/429, or 200 with null ids. Nothing was attached; trigger first.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldClient, submitCiDiffs } from "effect-datafold/effect4"
 *
 * const program = submitCiDiffs(1234, 42, [{ prod: "analytics.prod.orders", pr: "analytics.pr_42.orders" }]).pipe(
 *   Effect.catchTag("DatafoldNoRunWaitingError", (e) =>
 *     Console.error(`no CI run waits for PR ${e.prNumber} (HTTP ${e.status}): trigger one first`))
 * )
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export class DatafoldNoRunWaitingError extends DatafoldNoRunWaitingErrorBase {
  override get message(): string {
    return noRunWaitingErrorMessage(this)
  }
}
