/**
 * The answer of Datafold's primary-key check of a dbt manifest
 * (`POST /api/internal/ci/{ci_config_id}/check_pks_in_dbt_manifest`), Effect 4.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type { ClassBase } from "./schemaClass.ts"

const strings: Schema.$Array<Schema.String> = Schema.Array(Schema.String)

const PrimaryKeyCheckBase: ClassBase<PrimaryKeyCheck, {
  source: Schema.String
  sql_table: typeof strings
  sql_pks: typeof strings
  dbt_fqn: typeof strings
  dbt_pks: typeof strings
  dbt_original_file_path: Schema.NullOr<Schema.String>
  dbt_patch_path: Schema.withDecodingDefault<Schema.NullOr<Schema.String>>
  warnings: typeof strings
}> = Schema.Class<PrimaryKeyCheck>("PrimaryKeyCheck")({
  source: Schema.String,
  sql_table: strings,
  sql_pks: strings,
  dbt_fqn: strings,
  dbt_pks: strings,
  dbt_original_file_path: Schema.NullOr(Schema.String),
  dbt_patch_path: Schema.NullOr(Schema.String).pipe(Schema.withDecodingDefault(Effect.succeed(null))),
  warnings: strings
})

/**
 * One model's primary keys as Datafold sees them: the table (`sql_table`) and the keys
 * it found there (`sql_pks`), beside the dbt model (`dbt_fqn`, its files) and the keys
 * dbt declares (`dbt_pks`), with Datafold's warnings. `dbt_original_file_path` may be
 * null (a model dbt read from no file), `dbt_patch_path` absent or null. Unknown keys are
 * ignored.
 *
 * @since 0.2.0
 * @category schemas
 */
export class PrimaryKeyCheck extends PrimaryKeyCheckBase {}

/**
 * The whole answer: one item per model.
 *
 * @since 0.2.0
 * @category schemas
 */
export const PrimaryKeyChecks: Schema.$Array<typeof PrimaryKeyCheck> = Schema.Array(PrimaryKeyCheck)
