/**
 * A CI run as Datafold lists it (`ApiCiRun`), Effect 4.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import type { ClassBase } from "./schemaClass.ts"

const CiRunBase: ClassBase<CiRun, {
  id: Schema.Int
  base_branch: Schema.String
  base_sha: Schema.String
  pr_branch: Schema.String
  pr_sha: Schema.String
  pr_num: Schema.String
  status: Schema.String
  source: Schema.String
}> = Schema.Class<CiRun>("ApiCiRun")({
  id: Schema.Int,
  base_branch: Schema.String,
  base_sha: Schema.String,
  pr_branch: Schema.String,
  pr_sha: Schema.String,
  pr_num: Schema.String,
  status: Schema.String,
  source: Schema.String
})

/**
 * One CI run. `pr_num` is a string on the wire; the set of `status` values is not
 * documented, so any string is accepted. Unknown keys are ignored.
 *
 * @since 0.2.0
 * @category schemas
 */
export class CiRun extends CiRunBase {}

/**
 * The answer of `GET /api/v1/ci/{ci_config_id}/runs`.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CiRuns: Schema.$Array<typeof CiRun> = Schema.Array(CiRun)
