/**
 * How waiting for a data diff can end other than with its results (Effect 4; same tags, fields and messages as the Effect 3 entry): the diff failed, it
 * was cancelled, or it did not finish in time. Each is a tagged error of its own.
 *
 * @since 0.3.0
 */
import * as Schema from "effect/Schema"
import { diffCancelledMessage, diffFailedMessage, diffTimeoutMessage } from "../core/diffs/messages.ts"
import type { TaggedErrorBase } from "./schemaClass.ts"

const DatafoldDataDiffFailedErrorBase: TaggedErrorBase<DatafoldDataDiffFailedError, "DatafoldDataDiffFailedError", {
  diffId: Schema.Int
  link: Schema.String
  errorType: Schema.String
  errorValue: Schema.String
  elapsedMillis: Schema.Number
}> = Schema.TaggedError<DatafoldDataDiffFailedError>()("DatafoldDataDiffFailedError", {
  diffId: Schema.Int,
  /** The diff's page in Datafold. */
  link: Schema.String,
  /** Datafold's `error_type`. */
  errorType: Schema.String,
  /** Datafold's `error_value`. */
  errorValue: Schema.String,
  elapsedMillis: Schema.Number
})

/**
 * The diff's results say `failed`, with Datafold's error.
 *
 * @since 0.3.0
 * @category errors
 */
export class DatafoldDataDiffFailedError extends DatafoldDataDiffFailedErrorBase {
  override get message(): string {
    return diffFailedMessage(this)
  }
}

const DatafoldDataDiffCancelledErrorBase: TaggedErrorBase<
  DatafoldDataDiffCancelledError,
  "DatafoldDataDiffCancelledError",
  { diffId: Schema.Int; link: Schema.String; elapsedMillis: Schema.Number }
> = Schema.TaggedError<DatafoldDataDiffCancelledError>()("DatafoldDataDiffCancelledError", {
  diffId: Schema.Int,
  link: Schema.String,
  elapsedMillis: Schema.Number
})

/**
 * The diff was cancelled before it finished.
 *
 * @since 0.3.0
 * @category errors
 */
export class DatafoldDataDiffCancelledError extends DatafoldDataDiffCancelledErrorBase {
  override get message(): string {
    return diffCancelledMessage(this)
  }
}

const DatafoldDataDiffTimeoutErrorBase: TaggedErrorBase<
  DatafoldDataDiffTimeoutError,
  "DatafoldDataDiffTimeoutError",
  {
    diffId: Schema.Int
    link: Schema.String
    status: Schema.String
    waitedMillis: Schema.Number
  }
> = Schema.TaggedError<DatafoldDataDiffTimeoutError>()("DatafoldDataDiffTimeoutError", {
  diffId: Schema.Int,
  link: Schema.String,
  /** The status of its last look (`running`, `pending`). */
  status: Schema.String,
  waitedMillis: Schema.Number
})

/**
 * The diff was still running when the wait's timeout ran out.
 *
 * @since 0.3.0
 * @category errors
 */
export class DatafoldDataDiffTimeoutError extends DatafoldDataDiffTimeoutErrorBase {
  override get message(): string {
    return diffTimeoutMessage(this)
  }
}

/**
 * Every way a wait for one diff can end without its results.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldDataDiffs, waitForDataDiff } from "effect-datafold/effect4"
 *
 * const program = waitForDataDiff(4321, { timeout: "20 minutes" }).pipe(
 *   Effect.catchTags({
 *     DatafoldDataDiffFailedError: (e) => Console.error(`${e.errorType}: ${e.errorValue} (${e.link})`),
 *     DatafoldDataDiffCancelledError: (e) => Console.error(`diff ${e.diffId} was cancelled`),
 *     DatafoldDataDiffTimeoutError: (e) => Console.error(`diff ${e.diffId} still ${e.status}`)
 *   })
 * )
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldDataDiffs.Default)))
 * ```
 *
 * @since 0.3.0
 * @category errors
 */
export type DatafoldDataDiffWaitError =
  | DatafoldDataDiffFailedError
  | DatafoldDataDiffCancelledError
  | DatafoldDataDiffTimeoutError

/**
 * The schema of {@link DatafoldDataDiffWaitError}, for encoding them as JSON.
 *
 * @since 0.3.0
 * @category schemas
 */
export const DatafoldDataDiffWaitError: Schema.Union<
  readonly [
    typeof DatafoldDataDiffFailedError,
    typeof DatafoldDataDiffCancelledError,
    typeof DatafoldDataDiffTimeoutError
  ]
> = Schema.Union([DatafoldDataDiffFailedError, DatafoldDataDiffCancelledError, DatafoldDataDiffTimeoutError])
