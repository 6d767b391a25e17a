/**
 * What "upload PR/MR changes" carries, as the strict Effect 4 schema the client accepts:
 * one `CiDiff` per table to diff. The rules and words are the shared core's.
 *
 * @since 0.2.0
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { INPUT_WORDS, primaryKeyProblem, tablePathProblem } from "../core/inputRules.ts"

/**
 * A table path such as `analytics.prod.orders`: not blank, no surrounding white space.
 *
 * @since 0.2.0
 * @category schemas
 */
export const TablePath: Schema.String = Schema.String.check(
  Schema.makeFilter((path: string) => tablePathProblem(path) ?? true)
)

/**
 * Primary-key columns: each named once.
 *
 * @since 0.2.0
 * @category schemas
 */
export const PrimaryKey: Schema.$Array<Schema.String> = Schema.Array(Schema.String).check(
  Schema.makeFilter((columns: ReadonlyArray<string>) => primaryKeyProblem(columns) ?? true)
)

const columns: Schema.withDecodingDefault<Schema.$Array<Schema.String>> = Schema.Array(Schema.String).pipe(
  Schema.withDecodingDefault(Effect.succeed([]))
)

/**
 * The strict diff the client accepts: non-blank table paths, unique primary-key columns.
 * Decoding fills the defaults (`pk` null, column lists empty).
 *
 * @since 0.2.0
 * @category schemas
 */
export const CiDiff: Schema.Struct<{
  readonly prod: Schema.String
  readonly pr: Schema.String
  readonly pk: Schema.withDecodingDefault<Schema.NullOr<Schema.$Array<Schema.String>>>
  readonly include_columns: typeof columns
  readonly exclude_columns: typeof columns
}> = Schema.Struct({
  prod: TablePath,
  pr: TablePath,
  pk: Schema.NullOr(PrimaryKey).pipe(Schema.withDecodingDefault(Effect.succeed(null))),
  include_columns: columns,
  exclude_columns: columns
})

/**
 * A validated diff, defaults filled in.
 *
 * @since 0.2.0
 * @category models
 */
export type CiDiff = typeof CiDiff.Type

/**
 * What a caller passes to `submitDiffs`: the SDK's JSON shape, optional fields optional.
 *
 * @since 0.2.0
 * @category models
 */
export type CiDiffInput = typeof CiDiff.Encoded

/**
 * The diffs of one upload: at least one.
 *
 * @since 0.2.0
 * @category schemas
 */
export const CiDiffs: Schema.$Array<typeof CiDiff> = Schema.Array(CiDiff).check(
  Schema.isMinLength(1, { message: INPUT_WORDS.noDiffs })
)
