/**
 * What "upload PR/MR changes" carries: one `CiDiff` per table to diff, the production
 * table against the PR's build of it.
 *
 * Two schemas, as for the PR details: {@link ApiCiDiff} is the wire shape as Datafold
 * publishes it (what the local server accepts and the OpenAPI document shows), and
 * {@link CiDiff} is the strict one the client accepts from users, refusing blank table
 * paths and repeated primary-key columns before anything is sent.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import { INPUT_WORDS, primaryKeyProblem, tablePathProblem } from "./core/inputRules.ts"

const columns = (title: string) =>
  Schema.optionalWith(Schema.Array(Schema.String), { default: (): Array<string> => [] }).annotations({ title })

/**
 * `CiDiff` exactly as on the wire: `prod` and `pr` required, `pk` an array of unique
 * strings or null, the column lists defaulting to `[]`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ApiCiDiff: Schema.Struct<{
  prod: Schema.SchemaClass<string>
  pr: Schema.SchemaClass<string>
  pk: Schema.optionalWith<Schema.NullOr<Schema.Array$<typeof Schema.String>>, { default: () => null }>
  include_columns: Schema.optionalWith<Schema.Array$<typeof Schema.String>, { default: () => Array<string> }>
  exclude_columns: Schema.optionalWith<Schema.Array$<typeof Schema.String>, { default: () => Array<string> }>
}> = Schema.Struct({
  prod: Schema.String.annotations({ title: "Prod" }),
  pr: Schema.String.annotations({ title: "Pr" }),
  pk: Schema.optionalWith(
    Schema.NullOr(Schema.Array(Schema.String).annotations({ jsonSchema: { uniqueItems: true } })),
    { default: () => null }
  ).annotations({ title: "Pk" }),
  include_columns: columns("Include Columns"),
  exclude_columns: columns("Exclude Columns")
}).annotations({ identifier: "CiDiff", title: "CiDiff", parseOptions: { errors: "all" } })

/**
 * The wire type of {@link ApiCiDiff}.
 *
 * @since 0.1.0
 * @category models
 */
export type ApiCiDiff = typeof ApiCiDiff.Type

/**
 * A table path such as `analytics.prod.orders`: not blank, no surrounding white space.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TablePath: Schema.refine<string, typeof Schema.String> = Schema.String.pipe(
  Schema.filter(tablePathProblem)
).annotations({ identifier: "TablePath" })

/**
 * Primary-key columns: each named once. A repeated column is a mistake in the diffs file.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PrimaryKey: Schema.refine<ReadonlyArray<string>, Schema.Array$<typeof Schema.String>> = Schema.Array(
  Schema.String
).pipe(
  Schema.filter(primaryKeyProblem)
).annotations({ identifier: "PrimaryKey" })

/**
 * The strict diff the client accepts: non-blank table paths, unique primary-key columns.
 * Decoding fills the defaults (`pk` null, column lists empty).
 *
 * @example
 * ```ts
 * import { Schema } from "effect"
 * import { CiDiff } from "effect-datafold"
 *
 * const diff = Schema.decodeUnknownSync(CiDiff)({ prod: "analytics.prod.orders", pr: "analytics.pr_42.orders" })
 * console.log(diff.pk, diff.include_columns) // null []
 * ```
 *
 * @since 0.1.0
 * @category schemas
 */
export const CiDiff: Schema.Struct<{
  prod: typeof TablePath
  pr: typeof TablePath
  pk: Schema.optionalWith<Schema.NullOr<typeof PrimaryKey>, { default: () => null }>
  include_columns: Schema.optionalWith<Schema.Array$<typeof Schema.String>, { default: () => Array<string> }>
  exclude_columns: Schema.optionalWith<Schema.Array$<typeof Schema.String>, { default: () => Array<string> }>
}> = Schema.Struct({
  prod: TablePath,
  pr: TablePath,
  pk: Schema.optionalWith(Schema.NullOr(PrimaryKey), { default: () => null }),
  include_columns: columns("Include Columns"),
  exclude_columns: columns("Exclude Columns")
}).annotations({ identifier: "CiDiff" })

/**
 * A validated diff, defaults filled in.
 *
 * @since 0.1.0
 * @category models
 */
export type CiDiff = typeof CiDiff.Type

/**
 * What a caller passes to `submitDiffs`: the SDK's JSON shape, optional fields optional.
 *
 * @since 0.1.0
 * @category models
 */
export type CiDiffInput = typeof CiDiff.Encoded

/**
 * The diffs of one upload: at least one. An empty upload would attach nothing to the run.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CiDiffs: Schema.filter<Schema.Array$<typeof CiDiff>> = Schema.Array(CiDiff).pipe(
  Schema.minItems(1, { message: () => INPUT_WORDS.noDiffs })
).annotations({ identifier: "CiDiffs" })

/**
 * The wire body of an upload: a JSON array of {@link ApiCiDiff}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ApiCiDiffs: Schema.Array$<typeof ApiCiDiff> = Schema.Array(ApiCiDiff)
