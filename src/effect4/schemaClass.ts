/**
 * Explicit types for Effect 4 `Schema.Class` and `Schema.TaggedError` bases. JSR's fast
 * check cannot infer a superclass expression, so each schema class extends a constant
 * whose type is spelled out with these aliases; they are exactly what the calls return.
 *
 * @since 0.2.0
 */
import type * as Cause from "effect/Cause"
import type * as Schema from "effect/Schema"

/**
 * What `Schema.Class<Self>(identifier)(fields)` returns.
 *
 * @since 0.2.0
 */
// deno-lint-ignore ban-types
export type ClassBase<Self, Fields extends Schema.Struct.Fields> = Schema.Class<Self, Schema.Struct<Fields>, {}>

/**
 * What `Schema.TaggedError<Self>()(tag, fields)` returns.
 *
 * @since 0.2.0
 */
export type TaggedErrorBase<Self, Tag extends string, Fields extends Schema.Struct.Fields> = Schema.Class<
  Self,
  Schema.TaggedStruct<Tag, Fields>,
  Cause.YieldableError
>
