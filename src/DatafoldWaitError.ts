/**
 * How waiting for a CI run can end other than with the run done: it failed, it was
 * cancelled, it never appeared, or it did not finish in time. Each is a tagged error of
 * its own, so a pipeline can tell them apart (the CLI exits with a code for each kind).
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import { CiRun } from "./CiRun.ts"
import { runCancelledMessage, runFailedMessage, runNotFoundMessage, runTimeoutMessage } from "./core/dbt/messages.ts"
import type { TaggedErrorBase } from "./schemaClass.ts"

type RunOutcomeFields = {
  ciConfigId: typeof Schema.Int
  run: typeof CiRun
  elapsedMillis: typeof Schema.Number
}

const runOutcomeFields: RunOutcomeFields = {
  ciConfigId: Schema.Int,
  /** The run as Datafold last listed it. */
  run: CiRun,
  /** How long the wait took. */
  elapsedMillis: Schema.Number
}

const DatafoldRunFailedErrorBase: TaggedErrorBase<DatafoldRunFailedError, "DatafoldRunFailedError", RunOutcomeFields> =
  Schema.TaggedError<DatafoldRunFailedError>()("DatafoldRunFailedError", runOutcomeFields)

/**
 * The run ended with status `failed`.
 *
 * @since 0.2.0
 * @category errors
 */
export class DatafoldRunFailedError extends DatafoldRunFailedErrorBase {
  override get message(): string {
    return runFailedMessage(this)
  }
}

const DatafoldRunCancelledErrorBase: TaggedErrorBase<
  DatafoldRunCancelledError,
  "DatafoldRunCancelledError",
  RunOutcomeFields
> = Schema.TaggedError<DatafoldRunCancelledError>()("DatafoldRunCancelledError", runOutcomeFields)

/**
 * The run ended with status `cancelled`: Datafold cancels a pull request's run when a
 * newer commit of it arrives.
 *
 * @since 0.2.0
 * @category errors
 */
export class DatafoldRunCancelledError extends DatafoldRunCancelledErrorBase {
  override get message(): string {
    return runCancelledMessage(this)
  }
}

const DatafoldRunNotFoundErrorBase: TaggedErrorBase<DatafoldRunNotFoundError, "DatafoldRunNotFoundError", {
  ciConfigId: typeof Schema.Int
  prSha: Schema.optional<typeof Schema.String>
  ciRunId: Schema.optional<typeof Schema.Int>
  waitedMillis: typeof Schema.Number
}> = Schema.TaggedError<DatafoldRunNotFoundError>()("DatafoldRunNotFoundError", {
  ciConfigId: Schema.Int,
  /** The commit whose run was looked for. */
  prSha: Schema.optional(Schema.String),
  /** The run looked for, when waiting for a known run. */
  ciRunId: Schema.optional(Schema.Int),
  waitedMillis: Schema.Number
})

/**
 * No run showed up in the runs listing within the time a run is given to appear.
 *
 * @since 0.2.0
 * @category errors
 */
export class DatafoldRunNotFoundError extends DatafoldRunNotFoundErrorBase {
  override get message(): string {
    return runNotFoundMessage(this)
  }
}

const DatafoldRunTimeoutErrorBase: TaggedErrorBase<DatafoldRunTimeoutError, "DatafoldRunTimeoutError", {
  ciConfigId: typeof Schema.Int
  run: typeof CiRun
  waitedMillis: typeof Schema.Number
}> = Schema.TaggedError<DatafoldRunTimeoutError>()("DatafoldRunTimeoutError", {
  ciConfigId: Schema.Int,
  /** The run as Datafold last listed it, still going. */
  run: CiRun,
  waitedMillis: Schema.Number
})

/**
 * The run was still going when the wait's timeout ran out.
 *
 * @since 0.2.0
 * @category errors
 */
export class DatafoldRunTimeoutError extends DatafoldRunTimeoutErrorBase {
  override get message(): string {
    return runTimeoutMessage(this)
  }
}

/**
 * Every way a wait can end without the run done.
 *
 * @example
 * ```ts
 * import { Console, Effect } from "effect"
 * import { DatafoldClient, waitForRun } from "effect-datafold"
 *
 * const program = waitForRun(1234, { prSha: "8f14e45fceea167a5a36dedd4bea2543c0a1b2c3" }).pipe(
 *   Effect.catchTags({
 *     DatafoldRunFailedError: (e) => Console.error(`run ${e.run.id} failed after ${e.elapsedMillis} ms`),
 *     DatafoldRunCancelledError: (e) => Console.log(`run ${e.run.id} was cancelled: a newer commit has its own`),
 *     DatafoldRunNotFoundError: (e) => Console.error(`no run for ${e.prSha} appeared in ${e.waitedMillis} ms`),
 *     DatafoldRunTimeoutError: (e) => Console.error(`run ${e.run.id} still ${e.run.status} after ${e.waitedMillis} ms`)
 *   })
 * )
 *
 * await Effect.runPromise(program.pipe(Effect.provide(DatafoldClient.Default)))
 * ```
 *
 * @since 0.2.0
 * @category errors
 */
export type DatafoldWaitError =
  | DatafoldRunFailedError
  | DatafoldRunCancelledError
  | DatafoldRunNotFoundError
  | DatafoldRunTimeoutError

/**
 * The schema of {@link DatafoldWaitError}, for encoding them as JSON (the CLI's `--json`).
 *
 * @since 0.2.0
 * @category schemas
 */
export const DatafoldWaitError: Schema.Union<[
  typeof DatafoldRunFailedError,
  typeof DatafoldRunCancelledError,
  typeof DatafoldRunNotFoundError,
  typeof DatafoldRunTimeoutError
]> = Schema.Union(DatafoldRunFailedError, DatafoldRunCancelledError, DatafoldRunNotFoundError, DatafoldRunTimeoutError)
