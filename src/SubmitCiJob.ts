/**
 * Datafold's answer to a trigger (`SubmitCiJob`).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { ClassBase } from "./schemaClass.ts"

const SubmitCiJobBase: ClassBase<SubmitCiJob, {
  ci_run_id: Schema.optionalWith<Schema.NullOr<typeof Schema.Int>, { default: () => null }>
  run_id: Schema.optionalWith<Schema.NullOr<typeof Schema.Int>, { default: () => null }>
}> = Schema.Class<SubmitCiJob>("SubmitCiJob")({
  ci_run_id: Schema.optionalWith(Schema.NullOr(Schema.Int), { default: () => null }).annotations({
    title: "Ci Run Id"
  }),
  run_id: Schema.optionalWith(Schema.NullOr(Schema.Int), { default: () => null }).annotations({
    title: "Run Id"
  })
}, { title: "SubmitCiJob" })

/**
 * The ids of the CI run a trigger started. Both may be `null` or absent on the wire;
 * decoding gives `null` for absent, and unknown keys are ignored.
 *
 * @since 0.1.0
 * @category schemas
 */
export class SubmitCiJob extends SubmitCiJobBase {}
