/**
 * Datafold's answer to a trigger or an upload (`SubmitCiJob`), Effect 4.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ClassBase } from "./schemaClass.ts"

/** A run id: an integer or null, null when absent. */
const runId: Schema.withDecodingDefault<Schema.NullOr<Schema.Int>> = Schema.NullOr(Schema.Int).pipe(
  Schema.withDecodingDefault(Effect.succeed(null))
)

const SubmitCiJobBase: ClassBase<SubmitCiJob, {
  ci_run_id: typeof runId
  run_id: typeof runId
}> = Schema.Class<SubmitCiJob>("SubmitCiJob")({ ci_run_id: runId, run_id: runId })

/**
 * The ids of the CI run a trigger started. Both may be `null` or absent on the wire;
 * decoding gives `null` for absent, and unknown keys are ignored.
 *
 * @since 0.2.0
 * @category schemas
 */
export class SubmitCiJob extends SubmitCiJobBase {}
