/**
 * A CI run as Datafold lists it (`ApiCiRun`), and the query that lists them.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import type { ClassBase } from "./schemaClass.ts"

const CiRunBase: ClassBase<CiRun, {
  id: typeof Schema.Int
  base_branch: typeof Schema.String
  base_sha: typeof Schema.String
  pr_branch: typeof Schema.String
  pr_sha: typeof Schema.String
  pr_num: typeof Schema.String
  status: typeof Schema.String
  source: typeof Schema.String
}> = Schema.Class<CiRun>("ApiCiRun")({
  id: Schema.Int,
  base_branch: Schema.String,
  base_sha: Schema.String,
  pr_branch: Schema.String,
  pr_sha: Schema.String,
  pr_num: Schema.String,
  status: Schema.String,
  source: Schema.String
}, { title: "ApiCiRun" })

/**
 * One CI run. `pr_num` is a string on the wire; the set of `status` values is not
 * documented, so any string is accepted. Unknown keys are ignored.
 *
 * @since 0.1.0
 * @category schemas
 */
export class CiRun extends CiRunBase {}

/**
 * The answer of `GET /api/v1/ci/{ci_config_id}/runs`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CiRuns: Schema.Array$<typeof CiRun> = Schema.Array(CiRun)

/**
 * The query of `GET /api/v1/ci/{ci_config_id}/runs`: filter by PR head SHA and PR
 * number, page with `limit` (1 to 1000, default 100) and `offset`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListRunsQuery: Schema.Struct<{
  pr_sha: Schema.optional<typeof Schema.String>
  pr_num: Schema.optional<typeof Schema.String>
  limit: Schema.optional<Schema.filter<Schema.filter<typeof Schema.NumberFromString>>>
  offset: Schema.optional<Schema.filter<Schema.filter<typeof Schema.NumberFromString>>>
}> = Schema.Struct({
  pr_sha: Schema.optional(Schema.String),
  pr_num: Schema.optional(Schema.String),
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, 1000))),
  offset: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative()))
}).annotations({ identifier: "ListRunsQuery" })

/**
 * The decoded {@link ListRunsQuery}.
 *
 * @since 0.1.0
 * @category models
 */
export type ListRunsQuery = typeof ListRunsQuery.Type
